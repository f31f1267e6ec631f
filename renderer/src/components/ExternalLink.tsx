import type { ReactNode } from 'react';
import { call } from '../bridge';

/** A link that opens in the browser through main's allowlist (the window itself never navigates). */
export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a
      href={href}
      onClick={(e) => {
        e.preventDefault();
        void call('shell:openExternal', { url: href });
      }}
    >
      {children}
    </a>
  );
}
