// A new endpoint's signing secret, shown this once, with a way to copy it: the service keeps it
// sealed and never shows it again.
import { useState } from 'react';
import type { WebhookCreated } from '../api';
import { Notice } from '../common/Notice';

export function NewSecret({ created, onDone }: { created: WebhookCreated; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <section aria-labelledby="new-secret" className="new-secret">
      <h3 id="new-secret">Signing secret of {created.url}</h3>
      <p>
        Your receiver verifies each delivery with this secret (Standard Webhooks). It is shown only now: copy it
        somewhere safe.
      </p>
      <p>
        <code className="secret">{created.secret}</code>
      </p>
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            navigator.clipboard.writeText(created.secret).then(
              () => setCopied('yes'),
              () => setCopied('failed'),
            );
          }}
        >
          Copy the secret
        </button>
        <button type="button" className="primary" onClick={onDone}>
          I have saved it
        </button>
      </div>
      {copied === 'yes' && <Notice>The secret is on the clipboard.</Notice>}
      {copied === 'failed' && <Notice>The browser did not allow copying: select the secret and copy it.</Notice>}
    </section>
  );
}
