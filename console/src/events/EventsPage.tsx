// The admins' Events page: the audit trail of everything (GET /api/v2/events), newest first, a
// page at a time, optionally of some event types only. It answers "who changed this admin's
// password yesterday" and "who added that webhook" without knowing whom to look at first.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Session } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { PageHeading } from '../common/PageHeading';
import { describeError } from '../errors';
import { useTRPC } from '../trpc';
import { eventTypesOf } from './event-types';
import { EventsTable } from './EventsTable';
import { EventPager, EVENTS_PER_PAGE, useNewestPages } from './NewestPages';

export function EventsPage({ session }: { session: Session }) {
  const trpc = useTRPC();
  const pages = useNewestPages();
  const [typed, setTyped] = useState('');
  // the filter as last asked for (typing alone reads nothing)
  const [types, setTypes] = useState('');
  const events = useQuery(
    trpc.events.list.queryOptions(
      { order: 'newest', before: pages.before, limit: EVENTS_PER_PAGE, ...(types ? { type: types } : {}) },
      { placeholderData: keepPreviousData },
    ),
  );
  // an API client acts under its id (`client:<id>`): shown by its name while it is registered
  const clients = useQuery(trpc.clients.list.queryOptions({}));
  const actorNames = new Map((clients.data?.items ?? []).map((client) => [client.subject, client.name]));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTypes(eventTypesOf(typed).join(','));
    pages.reset();
  };
  // a filter the service refuses is said at the field; anything else above the list
  const message = events.isError ? describeError(events.error) : undefined;
  const typesError = message && /^type:/i.test(message) ? message : undefined;
  const items = events.data?.items ?? [];
  return (
    <main className="page">
      <PageHeading>Events</PageHeading>
      <form className="event-filter" onSubmit={submit} aria-label="Filter events">
        <Field
          label="Event types"
          hint="Separated by commas, e.g. auth.credentials_changed, webhook.created; empty for all"
          error={typesError}
        >
          {(control) => (
            <input {...control} type="text" value={typed} onChange={(event) => setTyped(event.target.value)} />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="primary">
            Show
          </button>
        </div>
      </form>
      {events.isError && !typesError && <ErrorMessage error={events.error} onRetry={() => void events.refetch()} />}
      {events.isPending && <p role="status">Loading events…</p>}
      {events.data && items.length === 0 && <p>{types ? 'No events of these types.' : 'Nothing recorded yet.'}</p>}
      {items.length > 0 && !events.isError && (
        <EventsTable
          caption="Events, newest first"
          items={items}
          selfId={session.userId}
          showUser
          busy={events.isPlaceholderData}
          actorNames={actorNames}
        />
      )}
      {!events.isError && (
        <EventPager label="Pages of events" pages={pages} items={items} busy={events.isPlaceholderData} />
      )}
    </main>
  );
}
