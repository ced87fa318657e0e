// A table of sessions, as "Your sessions" and an admin's view of a user's sessions show them: the
// device (a short summary of its browser), how and when it signed in, when it was last active and
// from which address; the caller's own session marked "(this device)", an admin acting as the user
// named, and an action per row when the page has one.
import type { ReactNode } from 'react';
import type { SessionInfo } from './api';

const METHOD_LABELS: Record<SessionInfo['method'], string> = {
  password: 'Password',
  totp: 'Password and authenticator app',
  email_code: 'Code by email',
  oauth2: 'OpenID provider',
  passkey: 'Passkey',
  impersonation: 'An admin acting as the user',
};

/** An ISO time as people read it, in UTC. */
export const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

interface SessionsTableProps {
  caption: string;
  sessions: readonly SessionInfo[];
  /** What a row offers (e.g. "Sign out"); no column without it. */
  action?: (session: SessionInfo) => ReactNode;
}

export function SessionsTable({ caption, sessions, action }: SessionsTableProps) {
  return (
    <table className="users sessions">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Device</th>
          <th scope="col">Signed in with</th>
          <th scope="col">Signed in</th>
          <th scope="col">Last active</th>
          <th scope="col">Address</th>
          {action && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {sessions.map((item) => (
          <tr key={item.id}>
            <th scope="row">
              {item.userAgent}
              {item.current && <strong className="this-device"> (this device)</strong>}
            </th>
            <td>
              {METHOD_LABELS[item.method]}
              {item.impersonator !== undefined && ` (${item.impersonator})`}
            </td>
            <td>{when(item.createdAt)}</td>
            <td>{when(item.lastUsedAt)}</td>
            <td>{item.clientAddress}</td>
            {action && <td>{action(item)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
