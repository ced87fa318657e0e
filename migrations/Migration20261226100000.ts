import { Migration } from '@mikro-orm/migrations';

// An address that signs in with a password (authMethod 0, or 2 with TOTP) has a stored hash: every
// writer keeps it so (a create or a change to such a method requires a password, and only a method
// without one drops the hash). Written down here, the rule lets a PUT that keeps the password leave
// the hash unread and unwritten (router/users/user-service.ts): the method it had already says that
// a hash is there.
export class Migration20261226100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "emails" add constraint "emails_password_check" check (auth_method not in (0, 2) or password_hash is not null);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "emails" drop constraint "emails_password_check";`);
  }
}
