// For admins, on another user's page: the user's passkeys (auth.passkeys.ofUser, ./PasskeysTable),
// and the removal of one after a confirmation (a lost phone, a passkey the user did not add): it
// signs in no more, and every session it signed in ends. Adding one is the user's alone.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { User } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { useTRPC } from '../trpc';
import { PasskeysTable } from './PasskeysTable';

export function UserPasskeys({ user }: { user: User }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.auth.passkeys.ofUser.queryOptions({ id: user.id }));
  const [notice, setNotice] = useState<string | null>(null);
  const remove = useMutation(
    trpc.auth.passkeys.removeOfUser.mutationOptions({
      onSuccess: async (_, { passkeyId }) => {
        const name = list.data?.items.find((passkey) => passkey.id === passkeyId)?.name ?? 'passkey';
        await queryClient.invalidateQueries(trpc.auth.passkeys.ofUser.queryFilter({ id: user.id }));
        void queryClient.invalidateQueries(trpc.sessions.ofUser.queryFilter({ id: user.id }));
        void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: user.id }));
        setNotice(`${user.name}'s passkey “${name}” is removed, and the sessions it signed in have ended.`);
      },
    }),
  );
  return (
    <section aria-labelledby="user-passkeys">
      <h3 id="user-passkeys">Passkeys</h3>
      {notice && <Notice>{notice}</Notice>}
      {list.isError && <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && <p role="status">Loading {user.name}&apos;s passkeys…</p>}
      {list.data?.items.length === 0 && <p>{user.name} has no passkey.</p>}
      {list.data && list.data.items.length > 0 && (
        <PasskeysTable
          caption={`${user.name}'s passkeys`}
          items={list.data.items}
          removal={{
            consequence: `It will sign ${user.name} in no more, and every session it signed in ends.`,
            remove: ({ id }) => remove.mutate({ id: user.id, passkeyId: id }),
            busy: remove.isPending,
            error: remove.error,
          }}
        />
      )}
    </section>
  );
}
