// A user's history (GET /api/v2/users/{id}/events): who did what, when and from where, with an
// update's fields before and after. An admin sees everything done to the user; a user its own
// sign-ins, sign-outs and credential changes (the service decides), to spot one that was not theirs.
import { useQuery } from '@tanstack/react-query';
import type { UserEvent } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { useTRPC } from '../trpc';

/** The newest events shown (the service answers oldest first after an id; the console reads the first page). */
const SHOWN = 100;

const EVENT_LABELS: Record<string, string> = {
  'user.created': 'Created',
  'user.updated': 'Updated',
  'user.deleted': 'Deleted',
  'user.role_changed': 'Role changed',
  'auth.signed_in': 'Signed in',
  'auth.sign_in_failed': 'Sign-in refused',
  'auth.signed_out': 'Signed out',
  'auth.token_revoked': 'Token revoked',
  'auth.credentials_changed': 'Credentials changed',
  'auth.totp_enrolled': 'Authenticator app set up',
  'auth.recovery_code_used': 'Recovery code used',
  'auth.totp_reset': 'Authenticator reset',
  'auth.sessions_ended': 'Signed out of sessions',
  'auth.refresh_token_reused': 'Refresh token reused: session ended',
  'user.disabled': 'Disabled',
  'user.enabled': 'Enabled',
  'limit.locked': 'Locked by a limit',
};

export function UserHistory({ id, selfId }: { id: string; selfId: string }) {
  const trpc = useTRPC();
  const history = useQuery(trpc.events.user.queryOptions({ id, after: 0, limit: SHOWN }));
  return (
    <section aria-labelledby="history">
      <h3 id="history">History</h3>
      {history.isPending && <p role="status">Loading…</p>}
      {history.isError && <ErrorMessage error={history.error} onRetry={() => void history.refetch()} />}
      {history.data && history.data.items.length === 0 && <p>Nothing recorded yet.</p>}
      {history.data && history.data.items.length > 0 && (
        <table className="users history">
          <caption className="visually-hidden">History</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Who</th>
              <th scope="col">From where</th>
              <th scope="col">Before and after</th>
            </tr>
          </thead>
          <tbody>
            {history.data.items.map((event) => (
              <tr key={event.id}>
                <td>{new Date(event.time).toISOString().slice(0, 19).replace('T', ' ')} UTC</td>
                <th scope="row">{describe(event)}</th>
                <td>{event.actor === selfId ? 'you' : event.actor}</td>
                <td>{event.clientAddress ?? '—'}</td>
                <td>
                  <Changes event={event} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function describe(event: UserEvent): string {
  const label = EVENT_LABELS[event.type] ?? event.type;
  const detail = event.data.method ?? event.data.reason;
  return typeof detail === 'string' ? `${label} (${detail.replace('_', ' ')})` : label;
}

function Changes({ event }: { event: UserEvent }) {
  const fields = Array.isArray(event.data.fields) ? (event.data.fields as string[]) : [];
  const credentials = Array.isArray(event.data.credentials) ? (event.data.credentials as string[]) : [];
  if (credentials.length > 0) return <>{credentials.join(', ')}</>;
  if (fields.length === 0 || event.type === 'user.created') return <>—</>;
  return (
    <ul className="changes">
      {fields.map((field) => {
        const change = event.changes?.[field];
        return (
          <li key={field}>
            {change ? `${field}: ${show(change.before)} → ${show(change.after)}` : `${field} changed`}
          </li>
        );
      })}
    </ul>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
