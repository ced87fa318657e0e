import { Migration } from '@mikro-orm/migrations';

// Signed webhooks (issue 21, part 3): endpoints, one delivery row per endpoint × event, each
// attempt's outcome, and the fan-out cursor, on the `events` outbox of the events migration
// (20261221100000).
export class Migration20261221110000 extends Migration {
  override async up(): Promise<void> {
    // The fan-out's own view of the outbox: the transaction that wrote each event. Every
    // transaction still to commit has an id at or above the oldest one running, so the events whose
    // `txid` is below it are all there is below it: read in (txid, id) order, none is skipped,
    // whichever of two transactions drew the smaller event id. (The feed's readers keep their own
    // rule, router/events/events-store.ts.) Existing rows get 0, below every running transaction.
    this.addSql(`alter table events add column txid xid8 not null default '0'::xid8;`);
    this.addSql(`alter table events alter column txid set default pg_current_xact_id();`);
    // the fan-out reads events in (txid, id) order below the oldest running transaction
    this.addSql(`create index if not exists events_txid_id_index on events (txid, id);`);

    this.addSql(`create table webhook_endpoints (
      id uuid primary key,
      url text not null,
      types text[] not null,
      secret text not null,
      status text not null default 'active' check (status in ('active', 'paused')),
      status_reason text null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );`);

    // one row per endpoint × event (event_id null: a test event); next_attempt_at is both the
    // retry time and the lease: a claim moves it past the delivery timeout, so an attempt whose
    // instance died becomes claimable again when it passes
    this.addSql(`create table webhook_deliveries (
      id bigserial primary key,
      endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
      event_id bigint null,
      message_id text not null unique,
      type text not null,
      data jsonb not null,
      state text not null default 'pending' check (state in ('pending', 'succeeded', 'failed')),
      attempts int not null default 0,
      next_attempt_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      unique (endpoint_id, event_id)
    );`);
    this.addSql(
      `create index webhook_deliveries_due_index on webhook_deliveries (next_attempt_at) where state = 'pending';`,
    );
    this.addSql(`create index webhook_deliveries_endpoint_index on webhook_deliveries (endpoint_id, id desc);`);

    this.addSql(`create table webhook_attempts (
      delivery_id bigint not null references webhook_deliveries (id) on delete cascade,
      attempt int not null,
      at timestamptz not null default now(),
      status int null,
      error text null,
      duration_ms int not null,
      primary key (delivery_id, attempt)
    );`);

    // the fan-out's place in the events: the last (txid, id) turned into deliveries; one row,
    // locked by the one instance fanning out at a time
    this.addSql(`create table webhook_fanout (
      singleton boolean primary key default true check (singleton),
      last_txid xid8 not null,
      last_id bigint not null
    );`);
    this.addSql(`insert into webhook_fanout (last_txid, last_id) values ('0', 0);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table webhook_fanout, webhook_attempts, webhook_deliveries, webhook_endpoints;`);
    this.addSql(`drop index if exists events_txid_id_index;`);
    this.addSql(`alter table events drop column txid;`);
  }
}
