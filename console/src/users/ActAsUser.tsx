// For admins, on another user's page: "Act as this user", to see the console as the user sees it
// and help them (POST /api/v2/users/{id}/impersonate). Asks why (the user reads it in its history)
// and for how long; the service refuses admins and disabled accounts, said beside the button. Once
// begun, the console is the user's until the admin stops (../acting.ts, ../ActingBanner.tsx).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { User } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { useSessionStore } from '../session';
import { useTRPC } from '../trpc';

const DURATIONS = [
  { seconds: 900, label: '15 minutes' },
  { seconds: 1800, label: '30 minutes' },
  { seconds: 3600, label: '1 hour' },
] as const;

export function ActAsUser({ user }: { user: User }) {
  const trpc = useTRPC();
  const store = useSessionStore();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [expiresIn, setExpiresIn] = useState<number>(DURATIONS[0].seconds);
  const begin = useMutation(
    trpc.auth.impersonate.mutationOptions({
      onSuccess: async ({ token }) => {
        store.switchTo(token, null);
        // nothing the admin read may show as the user's: every answer is dropped, and what is on
        // the screen is read again as the user
        await queryClient.resetQueries();
      },
    }),
  );
  return (
    <section aria-labelledby="act-as-user">
      <h3 id="act-as-user">Act as this user</h3>
      <form
        aria-labelledby="act-as-user"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          begin.mutate({ id: user.id, reason, expiresIn });
        }}
      >
        <p>
          See the console as {user.name} sees it, to help them. Everything you do is recorded as done by you, as{' '}
          {user.name}; they see that you did, and why, in their history and sessions. Their password, email address and
          sign-in method stay theirs to change.
        </p>
        <Field label="Why" hint={`${user.name} reads this in their history. Up to 200 characters.`}>
          {(control) => (
            <input {...control} maxLength={200} value={reason} onChange={(event) => setReason(event.target.value)} />
          )}
        </Field>
        <Field label="For">
          {(control) => (
            <select {...control} value={expiresIn} onChange={(event) => setExpiresIn(Number(event.target.value))}>
              {DURATIONS.map((duration) => (
                <option key={duration.seconds} value={duration.seconds}>
                  {duration.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {begin.isError && <ErrorMessage error={begin.error} />}
        <button type="submit" disabled={begin.isPending}>
          Act as {user.name}
        </button>
      </form>
    </section>
  );
}
