// Events as a table, the way both lists show them (a user's history, and the admins' Events page):
// when, what (with a sign-in's method, and whether it came from somewhere new, or a refusal's kind), who (a person's own doings as "you"),
// about whom (on the Events page), from where, and an update's fields before and after.
import type { UserEvent } from '../api';

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
  'auth.impersonated': 'An admin began acting as the user',
  'auth.passkey_added': 'Passkey added',
  'auth.passkey_removed': 'Passkey removed',
  'auth.passkey_renamed': 'Passkey renamed',
  'auth.identity_linked': 'OpenID provider linked',
  'auth.identity_unlinked': 'OpenID provider unlinked',
  'auth.email_change_requested': 'New address requested',
  'auth.password_reset_sent': 'Password reset link emailed',
  'user.disabled': 'Disabled',
  'user.enabled': 'Enabled',
  'user.dormancy_warned': 'Warned: no sign-in for long',
  'user.metadata_updated': 'Metadata changed',
  'user.data_exported': 'Data downloaded',
  'limit.locked': 'Locked by a limit',
  'webhook.created': 'Webhook added',
  'webhook.updated': 'Webhook changed',
  'webhook.paused': 'Webhook paused',
  'webhook.resumed': 'Webhook resumed',
  'webhook.secret_rotated': 'Webhook secret rotated',
  'webhook.deleted': 'Webhook removed',
  'secrets.resealed': 'Sign-in secrets sealed under a new key',
  'client.created': 'API client registered',
  'client.secret_rotated': 'API client secret replaced',
  'client.deleted': 'API client removed',
  'client.token_issued': 'API client got a token',
  'client.token_refused': 'API client token refused',
  'invitation.created': 'Invitation sent',
  'invitation.resent': 'Invitation sent again',
  'invitation.revoked': 'Invitation revoked',
  'invitation.accepted': 'Invitation accepted',
};

interface EventsTableProps {
  caption: string;
  items: UserEvent[];
  /** The reader's own id: what it did shows as "you". */
  selfId: string;
  /** Whether to show whom each event is about (a list of everyone's events). */
  showUser?: boolean;
  busy?: boolean;
  /** Names of actors that are not people, by their id: an API client's (`client:<id>`). */
  actorNames?: ReadonlyMap<string, string>;
}

export function EventsTable({ caption, items, selfId, showUser = false, busy = false, actorNames }: EventsTableProps) {
  return (
    <table className="users history" aria-busy={busy}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What</th>
          <th scope="col">Who</th>
          {showUser && <th scope="col">About</th>}
          <th scope="col">From where</th>
          <th scope="col">Before and after</th>
        </tr>
      </thead>
      <tbody>
        {items.map((event) => (
          <tr key={event.id}>
            <td>{new Date(event.time).toISOString().slice(0, 19).replace('T', ' ')} UTC</td>
            <th scope="row">{describe(event)}</th>
            <td>{who(event, selfId, actorNames)}</td>
            {showUser && <td>{about(event)}</td>}
            <td>{event.clientAddress ?? '—'}</td>
            <td>
              <Changes event={event} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Whom or what an event is about: its user; a webhook endpoint's URL; an API client's name. */
function about(event: UserEvent): string {
  if (event.userId) return event.userId;
  if (typeof event.data.url === 'string') return event.data.url;
  if (event.type.startsWith('client.') && typeof event.data.name === 'string') return event.data.name;
  if (event.type.startsWith('invitation.') && typeof event.data.email === 'string') return event.data.email;
  return '—';
}

/** The actor, "you" for the reader; an admin acting as a user (impersonation) "ops as mira". */
function who(event: UserEvent, selfId: string, names?: ReadonlyMap<string, string>): string {
  const named = names?.get(event.actor);
  const actor = event.actor === selfId ? 'you' : named ? `${named} (API client)` : event.actor;
  const as = event.data.impersonating;
  return typeof as === 'string' ? `${actor} as ${as === selfId ? 'you' : as}` : actor;
}

function describe(event: UserEvent): string {
  const label = EVENT_LABELS[event.type] ?? event.type;
  // an impersonation's reason is a person's words, shown as written beside it (Changes)
  if (event.type === 'auth.impersonated') return label;
  // how (a sign-in's method) and why (a refusal's kind), e.g. "Sign-in refused (password, invalid credentials)"
  const details = [event.data.method, event.data.reason]
    .filter((detail): detail is string => typeof detail === 'string' && detail !== 'limit')
    .map((detail) => detail.replaceAll('_', ' '));
  // a sign-in from where the account never signed in, of which its owner was told by mail
  if (event.data.unusual === true) details.push('from somewhere new');
  return details.length > 0 ? `${label} (${details.join(', ')})` : label;
}

function Changes({ event }: { event: UserEvent }) {
  if (event.type === 'auth.impersonated' && typeof event.data.reason === 'string') {
    return <>Why: {event.data.reason}</>;
  }
  // a passkey by the name its owner gave it (a rename: the old one, and the new)
  if (event.type.startsWith('auth.passkey_') && typeof event.data.name === 'string') {
    const before = event.data.before;
    return <>{typeof before === 'string' ? `${before} → ${event.data.name}` : event.data.name}</>;
  }
  // the address a person asked to move its account to, a code on its way there
  if (event.type === 'auth.email_change_requested' && typeof event.data.address === 'string') {
    return <>{event.data.address}</>;
  }
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
