// Id formats checked on both sides of the bridge (the contract's schemas and the Node services).

/** Claude session ids are UUIDs; accept id-like tokens only, so a prompt can never become the id. */
export const RESUME_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** A TOTP code from an MFA device (AssumeRole TokenCode): exactly six digits. */
export const MFA_CODE_RE = /^\d{6}$/;
