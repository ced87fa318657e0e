// A person's passkeys as a table, on its own profile (./YourPasskeys) and on its page for an admin
// (./UserPasskeys): each one's name, when it was added and last signed in, and its removal after a
// confirmation (the caller says what removing does, and with which procedure).
import { useState } from 'react';
import type { Passkey } from '../api';
import { ConfirmQuestion } from '../common/ConfirmQuestion';
import { ErrorMessage } from '../common/ErrorMessage';
import { when } from '../SessionsTable';

export interface PasskeyRemoval {
  /** "It will sign you in no more." */
  consequence: string;
  remove: (passkey: Passkey) => void;
  busy: boolean;
  error: unknown;
}

export function PasskeysTable({
  caption,
  items,
  removal,
}: {
  caption: string;
  items: Passkey[];
  removal: PasskeyRemoval;
}) {
  const [asking, setAsking] = useState<string | null>(null);
  return (
    <table className="users passkeys">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Added</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((passkey) => (
          <tr key={passkey.id}>
            <th scope="row">{passkey.name}</th>
            <td>{when(passkey.createdAt)}</td>
            <td>{passkey.lastUsedAt ? when(passkey.lastUsedAt) : 'never'}</td>
            <td>
              {asking === passkey.id ? (
                <ConfirmQuestion
                  question={`Remove the passkey “${passkey.name}”? ${removal.consequence}`}
                  confirm={`Remove ${passkey.name}`}
                  busy={removal.busy}
                  onConfirm={() => removal.remove(passkey)}
                  onCancel={() => setAsking(null)}
                >
                  {removal.error !== null && <ErrorMessage error={removal.error} />}
                </ConfirmQuestion>
              ) : (
                <button type="button" className="danger-quiet" onClick={() => setAsking(passkey.id)}>
                  Remove {passkey.name}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
