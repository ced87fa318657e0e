// "Passkeys" on a person's own profile: the passkeys that sign it in without a password or a code
// (auth.passkeys.list), when each was added and last used; "Add a passkey" (./AddPasskeyForm), and
// each one's removal after a confirmation. Adding and removing ask for a recent sign-in: past it,
// the service's refusal is said here, with the way back (sign in again).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Passkey } from '../api';
import { ConfirmQuestion } from '../common/ConfirmQuestion';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { when } from '../SessionsTable';
import { useTRPC } from '../trpc';
import { AddPasskeyForm } from './AddPasskeyForm';

export function YourPasskeys({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.auth.passkeys.list.queryOptions({}));
  const [notice, setNotice] = useState<string | null>(null);
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
        <table className="users passkeys">
          <caption className="visually-hidden">Your passkeys</caption>
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
            {list.data.items.map((passkey) => (
              <PasskeyRow
                key={passkey.id}
                passkey={passkey}
                userId={userId}
                onRemoved={() => setNotice(`The passkey “${passkey.name}” is removed: it signs you in no more.`)}
              />
            ))}
          </tbody>
        </table>
      )}
      <AddPasskeyForm
        userId={userId}
        onAdded={(passkey) => setNotice(`The passkey “${passkey.name}” is added: you can sign in with it now.`)}
      />
    </section>
  );
}

function PasskeyRow({ passkey, userId, onRemoved }: { passkey: Passkey; userId: string; onRemoved: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation(
    trpc.auth.passkeys.remove.mutationOptions({
      onSuccess: async () => {
        setAsking(false);
        await queryClient.invalidateQueries({ queryKey: trpc.auth.passkeys.list.queryKey() });
        // the removal is in the person's history now
        void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: userId }));
        onRemoved();
      },
    }),
  );
  return (
    <tr>
      <th scope="row">{passkey.name}</th>
      <td>{when(passkey.createdAt)}</td>
      <td>{passkey.lastUsedAt ? when(passkey.lastUsedAt) : 'never'}</td>
      <td>
        {remove.isError && <ErrorMessage error={remove.error} />}
        {asking ? (
          <ConfirmQuestion
            question={`Remove the passkey “${passkey.name}”? It will sign you in no more.`}
            confirm={`Remove ${passkey.name}`}
            busy={remove.isPending}
            onConfirm={() => remove.mutate({ id: passkey.id })}
            onCancel={() => setAsking(false)}
          />
        ) : (
          <button type="button" className="danger-quiet" onClick={() => setAsking(true)}>
            Remove {passkey.name}
          </button>
        )}
      </td>
    </tr>
  );
}
