// A user's history (GET /api/v2/users/{id}/events): who did what, when and from where, with an
// update's fields before and after. An admin sees everything done to the user; a user its own
// sign-ins (refused ones and locks too), sign-outs and credential changes (the service decides),
// to spot one that was not theirs. Newest first, a page at a time, as a person looks for it.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ErrorMessage } from '../common/ErrorMessage';
import { EventsTable } from '../events/EventsTable';
import { EventPager, EVENTS_PER_PAGE, useNewestPages } from '../events/NewestPages';
import { useTRPC } from '../trpc';

export function UserHistory({ id, selfId }: { id: string; selfId: string }) {
  const trpc = useTRPC();
  const pages = useNewestPages();
  const history = useQuery(
    trpc.events.user.queryOptions(
      { id, order: 'newest', before: pages.before, limit: EVENTS_PER_PAGE },
      { placeholderData: keepPreviousData },
    ),
  );
  const items = history.data?.items ?? [];
  return (
    <section aria-labelledby="history">
      <h3 id="history">History</h3>
      {history.isPending && <p role="status">Loading…</p>}
      {history.isError && <ErrorMessage error={history.error} onRetry={() => void history.refetch()} />}
      {history.data && items.length === 0 && <p>Nothing recorded yet.</p>}
      {items.length > 0 && (
        <EventsTable caption="History, newest first" items={items} selfId={selfId} busy={history.isPlaceholderData} />
      )}
      <EventPager label="Pages of the history" pages={pages} items={items} busy={history.isPlaceholderData} />
    </section>
  );
}
