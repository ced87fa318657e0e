// An endpoint's recent deliveries: the event, its state, each attempt's answer, and when it is
// tried next. Refreshed every few seconds while shown.
import { useQuery } from '@tanstack/react-query';
import type { WebhookDelivery } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { useTRPC } from '../trpc';

function lastAnswer(delivery: WebhookDelivery): string {
  const last = delivery.attempts.at(-1);
  if (!last) return 'not tried yet';
  return last.status === null ? (last.error ?? 'no answer') : `HTTP ${last.status}`;
}

export function Deliveries({ endpointId, label }: { endpointId: string; label: string }) {
  const trpc = useTRPC();
  const deliveries = useQuery({
    ...trpc.webhooks.deliveries.queryOptions({ id: endpointId, limit: 10 }),
    refetchInterval: 3000,
  });
  if (deliveries.isError) return <ErrorMessage error={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  if (deliveries.isPending) return <p role="status">Loading deliveries…</p>;
  if (deliveries.data.items.length === 0) return <p>No deliveries yet.</p>;
  return (
    <table className="deliveries">
      <caption>Recent deliveries to {label}</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last answer</th>
          <th scope="col">Next try</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.data.items.map((delivery) => (
          <tr key={delivery.webhookId}>
            <th scope="row">
              {delivery.type}
              {delivery.eventId !== null && ` #${delivery.eventId}`}
            </th>
            <td className={`state state-${delivery.state}`}>{delivery.state}</td>
            <td>{delivery.attempts.length}</td>
            <td>{lastAnswer(delivery)}</td>
            <td>{delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt).toLocaleString() : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
