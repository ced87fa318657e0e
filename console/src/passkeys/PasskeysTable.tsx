// A person's passkeys as a table, on its own profile (./YourPasskeys) and on its page for an admin
// (./UserPasskeys): each one's name, when it was added and last signed in, its removal after a
// confirmation (the caller says what removing does, and with which procedure), and on the profile
// a new name for it.
import { useState } from 'react';
import type { Passkey } from '../api';
import { ConfirmQuestion } from '../common/ConfirmQuestion';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { describeError } from '../errors';
import { when } from '../SessionsTable';

export interface PasskeyRemoval {
  /** "It will sign you in no more." */
  consequence: string;
  remove: (passkey: Passkey) => void;
  busy: boolean;
  error: unknown;
}

export interface PasskeyRenaming {
  rename: (passkey: Passkey, name: string, done: () => void) => void;
  busy: boolean;
  error: unknown;
}

interface PasskeysTableProps {
  caption: string;
  items: Passkey[];
  removal: PasskeyRemoval;
  /** Offer a new name for each (the owner's own list). */
  renaming?: PasskeyRenaming;
}

export function PasskeysTable({ caption, items, removal, renaming }: PasskeysTableProps) {
  const [asking, setAsking] = useState<string | null>(null);
  const [naming, setNaming] = useState<string | null>(null);
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
              {renaming && naming === passkey.id ? (
                <RenameForm
                  passkey={passkey}
                  renaming={renaming}
                  onDone={() => setNaming(null)}
                  onCancel={() => setNaming(null)}
                />
              ) : asking === passkey.id ? (
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
                <div className="actions">
                  {renaming && (
                    <button type="button" onClick={() => setNaming(passkey.id)}>
                      Rename {passkey.name}
                    </button>
                  )}
                  <button type="button" className="danger-quiet" onClick={() => setAsking(passkey.id)}>
                    Remove {passkey.name}
                  </button>
                </div>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RenameForm({
  passkey,
  renaming,
  onDone,
  onCancel,
}: {
  passkey: Passkey;
  renaming: PasskeyRenaming;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(passkey.name);
  return (
    <form
      aria-label={`Rename ${passkey.name}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        renaming.rename(passkey, name, onDone);
      }}
    >
      <Field
        label={`New name for ${passkey.name}`}
        error={renaming.error === null ? undefined : describeError(renaming.error)}
      >
        {(control) => (
          <input {...control} autoFocus maxLength={64} value={name} onChange={(event) => setName(event.target.value)} />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={renaming.busy}>
          Save name
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
