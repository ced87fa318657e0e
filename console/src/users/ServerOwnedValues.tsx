// What the service owns and no form may change: ids and timestamps, shown as text.
import type { User } from '../api';
import { formatTime } from './labels';

export function ServerOwnedValues({ user }: { user: User }) {
  return (
    <section aria-labelledby="server-owned">
      <h3 id="server-owned">Set by the service</h3>
      <dl className="server-owned">
        <dt>Id</dt>
        <dd>
          <code>{user.id}</code>
        </dd>
        <dt>Created</dt>
        <dd>{formatTime(user.createdAt)}</dd>
        <dt>Last updated</dt>
        <dd>{formatTime(user.updatedAt)}</dd>
        <dt>Email id</dt>
        <dd>{user.email.id}</dd>
        <dt>Email added</dt>
        <dd>{formatTime(user.email.createdAt)}</dd>
        <dt>Email updated</dt>
        <dd>{formatTime(user.email.updatedAt)}</dd>
      </dl>
    </section>
  );
}
