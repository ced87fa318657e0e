import { Migration } from '@mikro-orm/migrations';

// The sign-ins of a user by client address (router/auth/auth-events.ts): whether a sign-in comes
// from an address the account signed in from before is asked at every sign-in that may be told of.
// Through the (user_id, id) index that question read every event of the user when the answer was
// no: 92 ms for a user with 100,000 sign-ins, and a scan of the whole table (218 ms at 2,000,000
// events) at a million. Only sign-ins are in this index, so the writes of every other event do not
// maintain it. Built in the migrations' transaction: event writers wait while it scans the table
// (docs/operations.md says for how long, and how to build it beforehand without the lock).
export class Migration20270112100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index if not exists "events_signed_in_user_address_index" on "events" ("user_id", "client_address") where "type" = 'auth.signed_in';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "events_signed_in_user_address_index";`);
  }
}
