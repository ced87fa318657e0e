import { Migration } from '@mikro-orm/migrations';

// A machine client's access (router/clients): `admin`, what every client had until now, or `read`,
// a client that reads users, events and the rest but changes nothing (a CRM sync, a report). Fixed
// at registration: its tokens carry it (`scope: read`), so a change would not reach those already
// issued; a client that needs other access is registered anew.
export class Migration20270107100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "api_clients" add column "access" text not null default 'admin' check ("access" in ('admin', 'read'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_clients" drop column "access";`);
  }
}
