import { useState } from 'react';

/**
 * Copy a policy: the clipboard where the window may write it; else (the app denies every permission
 * request, clipboard writes included) the text is selected for the user's own Ctrl+C / ⌘C.
 */
export function CopyPre({ text, label, testId }: { text: string; label: string; testId: string }) {
  const [status, setStatus] = useState<string | null>(null);
  const [pre, setPre] = useState<HTMLPreElement | null>(null);
  const selectAll = () => {
    const sel = window.getSelection();
    if (!pre || !sel) return;
    const range = document.createRange();
    range.selectNodeContents(pre);
    sel.removeAllRanges();
    sel.addRange(range);
  };
  return (
    <div className="copy-pre">
      <pre className="snippet" tabIndex={0} aria-label={label} data-testid={testId} ref={setPre}>
        {text}
      </pre>
      <div className="copy-pre__actions">
        <button
          type="button"
          className="btn btn--small"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(text);
              setStatus('Copied');
            } catch {
              selectAll();
              setStatus('Selected: press Ctrl+C (⌘C) to copy');
            }
          }}
        >
          Copy
        </button>
        {status ? (
          <span className="saved" role="status">
            {status}
          </span>
        ) : null}
      </div>
    </div>
  );
}
