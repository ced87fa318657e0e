// An admin's machine clients ("API clients"): a product's backends that get their own admin tokens
// with an id and a secret (POST /api/v2/auth/client-token). Register one (its secret shown once,
// with its id; admin or read-only access), and for each: when it last got a token, a new secret (the old one and its tokens
// stop at once), and removal (its tokens stop at once), each after a confirmation.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiClient, ApiClientCreated } from '../api';
import { ConfirmQuestion } from '../common/ConfirmQuestion';
import { ErrorMessage } from '../common/ErrorMessage';
import { NewSecret } from '../common/NewSecret';
import { Notice } from '../common/Notice';
import { PageHeading } from '../common/PageHeading';
import { when } from '../SessionsTable';
import { useTRPC } from '../trpc';
import { AddClientForm } from './AddClientForm';

const SECRET_USE =
  'The client exchanges its id and this secret for its tokens at POST /api/v2/auth/client-token. Keep it where its backend reads secrets.';

export function ClientsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.clients.list.queryOptions({}));
  const [secret, setSecret] = useState<{ title: string; client: ApiClientCreated } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <main className="page">
      <PageHeading>API clients</PageHeading>
      <p>
        A backend of yours that calls this service on its own (a CRM sync, a billing job) signs in as an API client:
        with its id and secret it gets tokens of its own (an admin&apos;s, or read-only ones), and what it does is
        recorded as the client&apos;s.
      </p>
      {notice && <Notice>{notice}</Notice>}
      {secret ? (
        <NewSecret
          title={secret.title}
          secret={secret.client.clientSecret}
          use={SECRET_USE}
          note={
            <>
              Its client id: <code>{secret.client.id}</code>
            </>
          }
          onDone={() => setSecret(null)}
        />
      ) : (
        <AddClientForm
          onCreated={(client) => {
            setNotice(null);
            setSecret({ title: `Secret of ${client.name}`, client });
          }}
        />
      )}
      {list.isError && <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && <p role="status">Loading clients…</p>}
      {list.data?.items.length === 0 && <p>No API clients yet.</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="users clients">
          <caption className="visually-hidden">API clients</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Client id</th>
              <th scope="col">Access</th>
              <th scope="col">Registered</th>
              <th scope="col">Last token</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((client) => (
              <ClientRow
                key={client.id}
                client={client}
                onRotated={(rotated) => setSecret({ title: `New secret of ${rotated.name}`, client: rotated })}
                onRemoved={() => setNotice(`${client.name} is removed: its tokens are refused from now on.`)}
              />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function ClientRow({
  client,
  onRotated,
  onRemoved,
}: {
  client: ApiClient;
  onRotated: (client: ApiClientCreated) => void;
  onRemoved: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<'rotate' | 'remove' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.clients.list.queryKey() });
  const rotate = useMutation(
    trpc.clients.rotateSecret.mutationOptions({
      onSuccess: async (rotated) => {
        setAsking(null);
        await refresh();
        onRotated(rotated);
      },
    }),
  );
  const remove = useMutation(
    trpc.clients.delete.mutationOptions({
      onSuccess: async () => {
        setAsking(null);
        await refresh();
        onRemoved();
      },
    }),
  );
  const failed = rotate.error ?? remove.error;
  return (
    <tr>
      <th scope="row">{client.name}</th>
      <td>
        <code>{client.id}</code>
      </td>
      <td>{client.access === 'read' ? 'Read only' : 'Admin'}</td>
      <td>
        {when(client.createdAt)} by {client.createdBy}
      </td>
      <td>{client.lastTokenAt ? when(client.lastTokenAt) : 'never'}</td>
      <td>
        {failed && <ErrorMessage error={failed} />}
        {asking === 'rotate' && (
          <ConfirmQuestion
            question={`Give ${client.name} a new secret? The current one, and every token it got, stop working at once.`}
            confirm="Make a new secret"
            busy={rotate.isPending}
            onConfirm={() => rotate.mutate({ id: client.id })}
            onCancel={() => setAsking(null)}
          />
        )}
        {asking === 'remove' && (
          <ConfirmQuestion
            question={`Remove ${client.name}? Its secret and every token it got stop working at once.`}
            confirm={`Remove ${client.name}`}
            busy={remove.isPending}
            onConfirm={() => remove.mutate({ id: client.id })}
            onCancel={() => setAsking(null)}
          />
        )}
        {asking === null && (
          <div className="actions">
            <button type="button" onClick={() => setAsking('rotate')}>
              New secret for {client.name}
            </button>
            <button type="button" className="danger-quiet" onClick={() => setAsking('remove')}>
              Remove {client.name}
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}
