// Editing one user: the form as the service last saved it, saved with users.update. When people
// change how they themselves sign in (password, address, method), the service ends their
// token (the service keeps the session it was made from; the console ends it too, renewal.ts):
// the console says so and goes back to the sign-in page. When the service asks for a more
// recent sign-in first (step-up), the console asks for it and comes back here with what was typed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { User } from '../api';
import { Notice } from '../common/Notice';
import { useReauthenticate } from '../reauthenticate';
import { endCookieSession } from '../renewal';
import { useSessionStore } from '../session';
import { useTRPC } from '../trpc';
import { formValuesOf, UserForm, userInputOf, type UserFormValues } from './UserForm';

interface EditUserFormProps {
  user: User;
  /** The signed-in person's own profile. */
  isSelf: boolean;
  /** What was typed before signing in again, in place of the saved values. */
  typed?: UserFormValues;
  children?: ReactNode;
}

export function EditUserForm({ user, isSelf, typed, children }: EditUserFormProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSessionStore();
  const reauthenticate = useReauthenticate();
  const [values, setValues] = useState(() => typed ?? formValuesOf(user));
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: (updated, input) => {
        const changedSignIn =
          input.email.password !== undefined ||
          input.email.authMethod !== user.email.authMethod ||
          input.email.email.toLowerCase() !== user.email.email.toLowerCase();
        if (isSelf && changedSignIn) {
          void endCookieSession();
          session.end('You changed how you sign in, so your session ended: sign in again with the new details.');
          return;
        }
        queryClient.setQueryData(trpc.users.read.queryKey({ id: updated.id }), updated);
        void queryClient.invalidateQueries(trpc.users.list.queryFilter());
        // the change is in the history now
        void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: updated.id }));
        setValues(formValuesOf(updated));
        setSaved(true);
      },
      onError: (error) => reauthenticate(error, { userId: user.id, action: 'save', values }),
    }),
  );
  return (
    <UserForm
      label={`Edit ${user.name}`}
      values={values}
      onChange={(next) => {
        setSaved(false);
        setValues(next);
      }}
      onSubmit={() => update.mutate({ id: user.id, ...userInputOf(values) })}
      submitLabel="Save changes"
      pending={update.isPending}
      error={update.error}
      passwordHint="Leave empty to keep the current password."
    >
      {children}
      {saved && <Notice>Saved.</Notice>}
    </UserForm>
  );
}
