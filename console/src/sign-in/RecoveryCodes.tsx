// The recovery codes of a new enrollment, shown this once, with a way to copy them; the person
// goes on to the console only when they say they have kept them.
import { useState } from 'react';
import { Notice } from '../common/Notice';

export function RecoveryCodes({ codes, onContinue }: { codes: readonly string[]; onContinue: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <section aria-labelledby="recovery-codes">
      <h3 id="recovery-codes">Save your recovery codes</h3>
      <p>
        If you lose your authenticator app, each of these codes signs you in once, instead of a code from the app. They
        are shown only now: copy them somewhere safe.
      </p>
      <ol className="recovery-codes" aria-labelledby="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            navigator.clipboard.writeText(codes.join('\n')).then(
              () => setCopied('yes'),
              () => setCopied('failed'),
            );
          }}
        >
          Copy the codes
        </button>
        <button type="button" className="primary" onClick={onContinue}>
          I have saved them: continue
        </button>
      </div>
      {copied === 'yes' && <Notice>The recovery codes are on the clipboard.</Notice>}
      {copied === 'failed' && <Notice>The browser did not allow copying: select the codes and copy them.</Notice>}
    </section>
  );
}
