// A user's history (GET /api/v2/users/{id}/events): who did what, when and from where, with an
// update's fields before and after. An admin sees everything done to the user; a user its own
// sign-ins (refused ones and locks too), sign-outs and credential changes (the service decides),
// to spot one that was not theirs. Newest first, a page at a time, as a person looks for it.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { UserEvent } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { useTRPC } from '../trpc';

/** Events per page. */
const SHOWN = 25;

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
  // where each older page starts (the last id of the page before it); empty on the newest page
  const [befores, setBefores] = useState<number[]>([]);
  const before = befores.at(-1) ?? 0;
  const history = useQuery(
    trpc.events.user.queryOptions({ id, order: 'newest', before, limit: SHOWN }, { placeholderData: keepPreviousData }),
  );
  const items = history.data?.items ?? [];
  // a full page may have older events after it; a short one is the oldest
  const older = items.length === SHOWN ? items.at(-1)?.id : undefined;
  return (
    <section aria-labelledby="history">
      <h3 id="history">History</h3>
      {history.isPending && <p role="status">Loading…</p>}
      {history.isError && <ErrorMessage error={history.error} onRetry={() => void history.refetch()} />}
      {history.data && items.length === 0 && <p>Nothing recorded yet.</p>}
      {items.length > 0 && (
        <table className="users history" aria-busy={history.isPlaceholderData}>
          <caption className="visually-hidden">History, newest first</caption>
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
            {items.map((event) => (
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
      {(befores.length > 0 || older !== undefined) && (
        <nav className="pager" aria-label="Pages of the history">
          <button
            type="button"
            disabled={befores.length === 0 || history.isPlaceholderData}
            onClick={() => setBefores(befores.slice(0, -1))}
          >
            Newer events
          </button>
          <button
            type="button"
            disabled={older === undefined || history.isPlaceholderData}
            onClick={() => older !== undefined && setBefores([...befores, older])}
          >
            Older events
          </button>
        </nav>
      )}
    </section>
  );
}

function describe(event: UserEvent): string {
  const label = EVENT_LABELS[event.type] ?? event.type;
  // how (a sign-in's method) and why (a refusal's kind), e.g. "Sign-in refused (password, invalid credentials)"
  const details = [event.data.method, event.data.reason]
    .filter((detail): detail is string => typeof detail === 'string' && detail !== 'limit')
    .map((detail) => detail.replaceAll('_', ' '));
  return details.length > 0 ? `${label} (${details.join(', ')})` : label;
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
