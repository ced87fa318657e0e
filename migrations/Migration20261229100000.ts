import { Migration } from '@mikro-orm/migrations';

// Sessions that ended by age are removed, anyone's, by the retention round (server/start/retention.ts,
// router/sessions/sessions-store.ts removeExpiredSessions), so those of users who never sign in
// again (their client addresses and browsers) do not stay for good. Found through this index; a session's
// expiry is set at its sign-in and never moves, so a refresh's update still changes no indexed
// column.
export class Migration20261229100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "sessions_expires_at_index" on "sessions" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sessions_expires_at_index";`);
  }
}
