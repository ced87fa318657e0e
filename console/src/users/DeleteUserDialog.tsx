// "Delete <name>?": a modal dialog (the browser's own <dialog>, which keeps the focus inside and
// closes on Escape); nothing is deleted until the person confirms. Deleting one's own account may
// first need a more recent sign-in (reauthenticate.ts).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { User } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { useReauthenticate } from '../reauthenticate';
import { useTRPC } from '../trpc';

interface DeleteUserDialogProps {
  user: Pick<User, 'id' | 'name'> & { email: Pick<User['email'], 'email'> };
  onDeleted: () => void;
  onCancel: () => void;
}

export function DeleteUserDialog({ user, onDeleted, onCancel }: DeleteUserDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const reauthenticate = useReauthenticate();
  const remove = useMutation(
    trpc.users.delete.mutationOptions({
      onSuccess: async () => {
        queryClient.removeQueries(trpc.users.read.queryFilter({ id: user.id }));
        await queryClient.invalidateQueries(trpc.users.list.queryFilter());
        onDeleted();
      },
      onError: (error) => reauthenticate(error, { userId: user.id, action: 'delete' }),
    }),
  );
  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    // the safe choice has the focus (showModal would give it to the first button, "Delete")
    cancel.current?.focus();
    return () => element?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      aria-labelledby="delete-user-title"
      aria-describedby="delete-user-text"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="delete-user-title">Delete {user.name}?</h2>
      <p id="delete-user-text">
        {user.name} ({user.email.email}) and everything they sign in with will be deleted. This cannot be undone.
      </p>
      {remove.isError && <ErrorMessage error={remove.error} />}
      <div className="actions">
        <button
          type="button"
          className="danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate({ id: user.id })}
        >
          Delete {user.name}
        </button>
        <button ref={cancel} type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
