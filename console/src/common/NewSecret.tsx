// A secret shown this once (a webhook endpoint's signing secret, a machine client's secret: at its
// registration, or after a rotation), with a way to copy it: the service never shows it again.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Notice } from '../common/Notice';

export function NewSecret({
  title,
  secret,
  use,
  note,
  onDone,
}: {
  title: string;
  secret: string;
  /** What the secret is for, said before it. */
  use: string;
  /** What else the person should know of this secret (a rotation: how long the old one signs). */
  note?: ReactNode;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const headingId = useId();
  // the focus goes to the secret's heading, so a screen reader starts from what appeared
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby={headingId} className="new-secret">
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {title}
      </h3>
      <p>{use} It is shown only now: copy it somewhere safe.</p>
      {note && <p>{note}</p>}
      <p>
        <code className="secret">{secret}</code>
      </p>
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            navigator.clipboard.writeText(secret).then(
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
