// Editing one user: the form as the service last saved it, saved with users.update. When people
// change how they themselves sign in (password, address, method), the service ends their
// session: the console says so and goes back to the sign-in page.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { User } from '../api';
import { Notice } from '../common/Notice';
import { useSessionStore } from '../session';
import { useTRPC } from '../trpc';
import { formValuesOf, UserForm, userInputOf } from './UserForm';

interface EditUserFormProps {
  user: User;
  /** The signed-in person's own profile. */
  isSelf: boolean;
  children?: ReactNode;
}

export function EditUserForm({ user, isSelf, children }: EditUserFormProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSessionStore();
  const [values, setValues] = useState(() => formValuesOf(user));
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: (updated, input) => {
        const changedSignIn =
          input.email.password !== undefined ||
          input.email.authMethod !== user.email.authMethod ||
          input.email.email.toLowerCase() !== user.email.email.toLowerCase();
        if (isSelf && changedSignIn) {
          session.end('You changed how you sign in, so your session ended: sign in again with the new details.');
          return;
        }
        queryClient.setQueryData(trpc.users.read.queryKey({ id: updated.id }), updated);
        void queryClient.invalidateQueries(trpc.users.list.queryFilter());
        setValues(formValuesOf(updated));
        setSaved(true);
      },
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
