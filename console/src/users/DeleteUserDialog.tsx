// "Delete <name>?": a modal dialog (the browser's own <dialog>, which keeps the focus inside and
// closes on Escape); nothing is deleted until the person confirms. The delete names the version of
// the user the person saw (the page's users.get; from the list, a read when the dialog opens), and
// the service refuses it if the user changed since: the dialog then says what changed, shows the
// user as it is now, and asks again. Deleting one's own account may first need a more recent
// sign-in (reauthenticate.ts).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { User, UserVersion, VersionedUser } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { isNotFound, isStale } from '../errors';
import { useReauthenticate } from '../reauthenticate';
import { useTRPC } from '../trpc';
import { changedFields, editedValuesOf, FIELD_LABELS, shown } from './user-changes';

interface DeleteUserDialogProps {
  /** The user as the person saw it. */
  user: User;
  /** The version it was read at; without it (a row of the list), the dialog reads it first. */
  version?: UserVersion;
  /** Deleted: the name it had. */
  onDeleted: (name: string) => void;
  onCancel: () => void;
}

/** What the dialog deletes: the user read, and whether it changed since the person saw it. */
type Target =
  | { state: 'reading' }
  | { state: 'read'; read: VersionedUser; changed: boolean }
  | { state: 'gone' }
  | { state: 'failed'; error: unknown };

export function DeleteUserDialog({ user, version, onDeleted, onCancel }: DeleteUserDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const reauthenticate = useReauthenticate();
  // what the person saw: the page may read the user again behind the dialog
  const [seen] = useState(user);
  const [target, setTarget] = useState<Target>(() =>
    version ? { state: 'read', read: { user, version }, changed: false } : { state: 'reading' },
  );
  const readAgain = async (stale: boolean) => {
    try {
      const read = await queryClient.fetchQuery({ ...trpc.users.get.queryOptions({ id: seen.id }), staleTime: 0 });
      setTarget({ state: 'read', read, changed: stale || changedFields(seen, read.user).length > 0 });
    } catch (error) {
      setTarget(isNotFound(error) ? { state: 'gone' } : { state: 'failed', error });
    }
    cancel.current?.focus();
  };
  const remove = useMutation(
    trpc.users.delete.mutationOptions({
      onSuccess: async (_nothing, { id }) => {
        const name = target.state === 'read' ? target.read.user.name : seen.name;
        queryClient.removeQueries(trpc.users.get.queryFilter({ id }));
        await queryClient.invalidateQueries(trpc.users.search.queryFilter());
        onDeleted(name);
      },
      onError: (error) => {
        if (reauthenticate(error, { userId: seen.id, action: 'delete' })) return;
        if (isStale(error)) void readAgain(true);
        else if (isNotFound(error)) setTarget({ state: 'gone' });
      },
    }),
  );
  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    // the safe choice has the focus (showModal would give it to the first button, "Delete")
    cancel.current?.focus();
    if (!version) void readAgain(false);
    return () => element?.close();
    // once, as the dialog opens
  }, []);
  const gone = () => {
    void queryClient.invalidateQueries(trpc.users.search.queryFilter());
    void queryClient.invalidateQueries(trpc.users.get.queryFilter({ id: seen.id }));
    onCancel();
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby="delete-user-title"
      aria-describedby="delete-user-text"
      onCancel={(event) => {
        event.preventDefault();
        if (target.state === 'gone') gone();
        else onCancel();
      }}
    >
      <h2 id="delete-user-title">Delete {seen.name}?</h2>
      {target.state === 'read' && target.changed ? (
        <ChangedSince seen={seen} now={target.read.user} />
      ) : target.state === 'gone' ? (
        <p id="delete-user-text">{seen.name} was already deleted by someone else.</p>
      ) : (
        <p id="delete-user-text">
          {seen.name} ({seen.email.email}) and everything they sign in with will be deleted. This cannot be undone.
        </p>
      )}
      {target.state === 'reading' && <p role="status">Reading {seen.name} again…</p>}
      {target.state === 'failed' && <ErrorMessage error={target.error} />}
      {/* a stale delete is answered by what changed, above */}
      {remove.isError && !isStale(remove.error) && !isNotFound(remove.error) && <ErrorMessage error={remove.error} />}
      <div className="actions">
        {target.state === 'read' && (
          <button
            type="button"
            className="danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate({ id: seen.id, expectedVersion: target.read.version })}
          >
            {target.changed ? `Delete ${target.read.user.name} as it is now` : `Delete ${seen.name}`}
          </button>
        )}
        <button ref={cancel} type="button" onClick={target.state === 'gone' ? gone : onCancel}>
          {target.state === 'gone' ? 'Close' : 'Cancel'}
        </button>
      </div>
    </dialog>
  );
}

/** The user changed after the person saw it: each changed field, then and now. */
function ChangedSince({ seen, now }: { seen: User; now: User }) {
  const fields = changedFields(seen, now);
  const before = editedValuesOf(seen);
  const after = editedValuesOf(now);
  return (
    <div id="delete-user-text" role="alert" className="alert">
      <p>
        {seen.name} was changed by someone else since you opened it
        {fields.length === 0 ? ' (no field shown here; its password may have changed).' : ':'}
      </p>
      {fields.length > 0 && (
        <ul className="changes">
          {fields.map((field) => (
            <li key={field}>
              {FIELD_LABELS[field]}: {shown(before, field)} → <strong>{shown(after, field)}</strong>
            </li>
          ))}
        </ul>
      )}
      <p>
        Nothing was deleted. Delete {now.name} ({now.email.email}) as it is now, or cancel.
      </p>
    </div>
  );
}
