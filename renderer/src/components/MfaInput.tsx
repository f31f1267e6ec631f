import { MFA_CODE_RE } from '../../../shared/ids';

/** A complete code: the contract's own rule (shared/ids.ts), so the button enables exactly when main accepts. */
export const isMfaCode = (code: string): boolean => MFA_CODE_RE.test(code);

/** The 6-digit code for an elevated profile with mfa_serial: sent with the one request, never stored. */
export function MfaInput({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <span className="mfa">
      <label htmlFor={id}>MFA code</label>{' '}
      <input
        id={id}
        className="mono"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        size={7}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, '').slice(0, 6))}
      />
    </span>
  );
}
