import { Migration } from '@mikro-orm/migrations';

// Linking the OpenID provider to an account that signs in otherwise (router/auth/oauth2/oauth2-link.ts):
// a pending sign-in at the provider may be a person's request to link its identity, made with its
// own recent sign-in. The state then names the account and the credential epoch of that request, so
// the callback links that account only, and only if its credentials did not change meanwhile.
export class Migration20270113100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "oauth_states" add column "link_user_id" varchar(64) null, add column "link_epoch" uuid null;`);
    this.addSql(
      `alter table "oauth_states" add constraint "oauth_states_link_user_id_foreign" foreign key ("link_user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "oauth_states" drop column "link_user_id", drop column "link_epoch";`);
  }
}
