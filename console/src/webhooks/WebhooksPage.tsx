// An admin's webhooks: add an endpoint (its secret shown once), and for each endpoint its status,
// pause or resume, a test event, a new signing secret (./RotateSecret), and its recent deliveries.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Webhook, WebhookCreated } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { PageHeading } from '../common/PageHeading';
import { useTRPC } from '../trpc';
import { AddWebhookForm } from './AddWebhookForm';
import { Deliveries } from './Deliveries';
import { NewSecret } from '../common/NewSecret';
import { WEBHOOK_SECRET_USE } from './webhook-secret';
import { RotateSecret } from './RotateSecret';

export function WebhooksPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.webhooks.list.queryOptions({}));
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <main className="page">
      <PageHeading>Webhooks</PageHeading>
      {notice && <Notice>{notice}</Notice>}
      {created ? (
        <NewSecret
          use={WEBHOOK_SECRET_USE}
          title={`Signing secret of ${created.url}`}
          secret={created.secret}
          onDone={() => setCreated(null)}
        />
      ) : (
        <AddWebhookForm onCreated={setCreated} />
      )}
      {list.isError && <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && <p role="status">Loading endpoints…</p>}
      {list.data?.items.length === 0 && <p>No endpoints yet.</p>}
      {list.data?.items.map((endpoint) => (
        <Endpoint key={endpoint.id} endpoint={endpoint} onNotice={setNotice} />
      ))}
    </main>
  );
}

function Endpoint({ endpoint, onNotice }: { endpoint: Webhook; onNotice: (notice: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.queryKey({ id: endpoint.id, limit: 10 }) }),
    ]);
  const pause = useMutation(trpc.webhooks.pause.mutationOptions({ onSuccess: refresh }));
  const resume = useMutation(trpc.webhooks.resume.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(
    trpc.webhooks.test.mutationOptions({
      onSuccess: async () => {
        onNotice(`A test event is on its way to ${endpoint.url}.`);
        await refresh();
      },
    }),
  );
  const failed = pause.error ?? resume.error ?? test.error;
  const headingId = `endpoint-${endpoint.id}`;
  return (
    <section className="endpoint" aria-labelledby={headingId}>
      <h3 id={headingId}>{endpoint.url}</h3>
      <p>
        Status: <strong>{endpoint.status}</strong>
        {endpoint.statusReason && ` (${endpoint.statusReason})`}. Events: {endpoint.types.join(', ')}.
        {endpoint.previousSecretExpiresAt &&
          ` The old secret signs beside the new one until ${new Date(endpoint.previousSecretExpiresAt).toLocaleString()}.`}
      </p>
      <div className="actions">
        {endpoint.status === 'active' ? (
          <button type="button" disabled={pause.isPending} onClick={() => pause.mutate({ id: endpoint.id })}>
            Pause
          </button>
        ) : (
          <button type="button" disabled={resume.isPending} onClick={() => resume.mutate({ id: endpoint.id })}>
            Resume
          </button>
        )}
        <button type="button" disabled={test.isPending} onClick={() => test.mutate({ id: endpoint.id })}>
          Send a test event
        </button>
      </div>
      {failed && <ErrorMessage error={failed} />}
      <RotateSecret endpoint={endpoint} />
      <Deliveries endpointId={endpoint.id} label={endpoint.url} />
    </section>
  );
}
