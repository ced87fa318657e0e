// "Passkeys" on a person's own profile: the passkeys that sign it in without a password or a code
// (auth.passkeys.list, ./PasskeysTable), "Add a passkey" (./AddPasskeyForm), a new name for each,
// and each one's removal after a confirmation, which also ends the sessions it signed in elsewhere. Adding and removing
// ask for a recent sign-in: past it, the person signs in again and comes back here (../reauthenticate).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { useReauthenticate } from '../reauthenticate';
import { useTRPC } from '../trpc';
import { AddPasskeyForm } from './AddPasskeyForm';
import { PasskeysTable } from './PasskeysTable';

export function YourPasskeys({ userId, typedName }: { userId: string; typedName?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.auth.passkeys.list.queryOptions({}));
  const reauthenticate = useReauthenticate();
  const [notice, setNotice] = useState<string | null>(null);
  const remove = useMutation(
    trpc.auth.passkeys.remove.mutationOptions({
      onSuccess: async (_, { id }) => {
        const name = list.data?.items.find((passkey) => passkey.id === id)?.name ?? 'passkey';
        await queryClient.invalidateQueries({ queryKey: trpc.auth.passkeys.list.queryKey() });
        // the removal is in the person's history now
        void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: userId }));
        setNotice(`The passkey “${name}” is removed: it signs you in no more.`);
      },
      onError: (error) => void reauthenticate(error, { userId, action: 'passkeys' }),
    }),
  );
  const rename = useMutation(
    trpc.auth.passkeys.rename.mutationOptions({
      onSuccess: async (renamed) => {
        await queryClient.invalidateQueries({ queryKey: trpc.auth.passkeys.list.queryKey() });
        void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: userId }));
        setNotice(`The passkey is now named “${renamed.name}”.`);
      },
    }),
  );
  return (
    <section aria-labelledby="your-passkeys">
      <h3 id="your-passkeys">Passkeys</h3>
      <p>
        A passkey signs you in with your phone, your computer or a security key, by its screen lock or fingerprint: no
        password to type, and nothing a fake sign-in page could reuse.
      </p>
      {notice && <Notice>{notice}</Notice>}
      {list.isError && <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && <p role="status">Loading your passkeys…</p>}
      {list.data?.items.length === 0 && <p>You have no passkey yet.</p>}
      {list.data && list.data.items.length > 0 && (
        <PasskeysTable
          caption="Your passkeys"
          items={list.data.items}
          removal={{
            consequence: 'It will sign you in no more, and wherever it signed you in, you are signed out.',
            remove: ({ id }) => remove.mutate({ id }),
            busy: remove.isPending,
            error: remove.error,
          }}
          renaming={{
            rename: ({ id }, name, done) => rename.mutate({ id, name }, { onSuccess: done }),
            busy: rename.isPending,
            error: rename.error,
          }}
        />
      )}
      <AddPasskeyForm
        userId={userId}
        typedName={typedName}
        onAdded={(passkey) => setNotice(`The passkey “${passkey.name}” is added: you can sign in with it now.`)}
      />
    </section>
  );
}
