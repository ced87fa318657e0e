// "Create user" (admins): the empty form; the new user opens for editing once the service has it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { User } from '../api';
import { PageHeading } from '../common/PageHeading';
import { useTRPC } from '../trpc';
import { EMPTY_FORM, UserForm, userInputOf } from './UserForm';

export function CreateUserPage({ onCreated, onBack }: { onCreated: (user: User) => void; onBack: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(EMPTY_FORM);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (user) => {
        // the user's page reads it with its version (users.get)
        void queryClient.invalidateQueries(trpc.users.search.queryFilter());
        onCreated(user);
      },
    }),
  );
  return (
    <main className="page">
      <PageHeading>Create user</PageHeading>
      <UserForm
        label="New user"
        values={values}
        onChange={setValues}
        onSubmit={() => create.mutate(userInputOf(values))}
        submitLabel="Create user"
        pending={create.isPending}
        error={create.error}
        passwordHint="For the methods that sign in with a password: at least 8 characters, not a common password, nor one built on the name or address."
      >
        <button type="button" onClick={onBack}>
          Back to users
        </button>
      </UserForm>
    </main>
  );
}
