import { Migration } from '@mikro-orm/migrations';

export class Migration20261128114308 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "emails" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "address" varchar(254) not null, "auth_method" smallint not null, "password_hash" text null, constraint emails_auth_method_check check (auth_method between 0 and 3));`);
    this.addSql(`create unique index "emails_address_lower_unique" on "emails" (lower("address"));`);

    this.addSql(`create table "users" ("id" varchar(64) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(32) not null, "age" smallint not null, "gender" smallint not null, "email_id" int not null, constraint "users_pkey" primary key ("id"), constraint users_gender_check check (gender between 0 and 2), constraint users_age_check check (age between 1 and 120));`);
    this.addSql(`alter table "users" add constraint "users_email_id_unique" unique ("email_id");`);
    this.addSql(`create index "users_created_at_id_index" on "users" ("created_at", "id");`);

    this.addSql(`alter table "users" add constraint "users_email_id_foreign" foreign key ("email_id") references "emails" ("id") on update cascade on delete restrict;`);
  }

}
