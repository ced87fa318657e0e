// The admin's list of users: found by a search and sign-in methods, sorted by a header, one page at
// a time from the service's cursors, with a way to create, edit and delete. What it shows is in
// the address (./list-view.ts); the way back through the pages is kept by UsersPage.tsx.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { User, UserListCursor } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { PageHeading } from '../common/PageHeading';
import { errorCode } from '../errors';
import { useTRPC } from '../trpc';
import { DeleteUserDialog } from './DeleteUserDialog';
import { FindUsers } from './FindUsers';
import { isFiltered, searchInputOf, type ListView } from './list-view';
import { NoUsersMatch } from './NoUsersMatch';
import { Pager } from './Pager';
import { UsersTable } from './UsersTable';

interface UsersListPageProps {
  view: ListView;
  onView: (view: ListView) => void;
  /** The cursors of the pages read after the first, in order: the last one starts this page. */
  cursors: UserListCursor[];
  onCursors: (cursors: UserListCursor[]) => void;
  notice: string | null;
  onNotice: (notice: string | null) => void;
  onCreate: () => void;
  onImport: () => void;
  onEdit: (user: User) => void;
}

export function UsersListPage(props: UsersListPageProps) {
  const { view, onView, cursors, onCursors, notice, onNotice } = props;
  const trpc = useTRPC();
  const list = useQuery(
    trpc.users.search.queryOptions(searchInputOf(view, cursors[cursors.length - 1]), {
      placeholderData: keepPreviousData,
    }),
  );
  const [deleting, setDeleting] = useState<User | null>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const page = list.data;
  const busy = list.isPlaceholderData;
  // how many pages come before the one shown: while the next one loads, the last one stays, all of it
  const [shownDepth, setShownDepth] = useState(cursors.length);
  if (page && !busy && shownDepth !== cursors.length) setShownDepth(cursors.length);
  useEffect(() => {
    // the last user of the last page was deleted: show the page before it
    if (page && !busy && page.items.length === 0 && cursors.length > 0) onCursors(cursors.slice(0, -1));
  }, [page, busy, cursors, onCursors]);
  const next = page?.next;
  // a click while a page loads would page from the one still shown
  const goTo = (to: UserListCursor[]) => {
    if (!busy) onCursors(to);
  };
  const clear = () => {
    onView({ ...view, q: '', authMethods: [], metadata: '', signedIn: '' });
    searchBox.current?.focus();
  };

  return (
    <main className="page">
      <PageHeading>Users</PageHeading>
      {notice && <Notice>{notice}</Notice>}
      <div className="actions">
        <button type="button" className="primary" onClick={props.onCreate}>
          Create user
        </button>
        <button type="button" onClick={props.onImport}>
          Import users
        </button>
      </div>
      <FindUsers view={view} onChange={onView} searchBox={searchBox} />
      {list.isError && (
        <ErrorMessage
          error={list.error}
          // a cursor refused (expired, say) leaves only the way its message says: from the first page
          onRetry={() =>
            errorCode(list.error) === 'BAD_REQUEST' && cursors.length > 0 ? onCursors([]) : void list.refetch()
          }
        />
      )}
      {list.isPending && <p role="status">Loading users…</p>}
      {page && (
        <>
          <Pager
            first={shownDepth * page.limit + 1}
            count={page.items.length}
            total={page.total}
            limit={view.limit}
            none={isFiltered(view) ? 'No users match' : 'No users'}
            onLimit={(limit) => onView({ ...view, limit })}
            onPrevious={cursors.length > 0 ? () => goTo(cursors.slice(0, -1)) : undefined}
            onNext={next ? () => goTo([...cursors, next]) : undefined}
          />
          {page.items.length === 0 && isFiltered(view) ? (
            <NoUsersMatch view={view} onClear={clear} />
          ) : (
            <UsersTable
              users={page.items}
              busy={busy}
              sorting={{ sort: view.sort, onSort: (sort) => onView({ ...view, sort }) }}
              onEdit={props.onEdit}
              onDelete={setDeleting}
            />
          )}
        </>
      )}
      {deleting && (
        <DeleteUserDialog
          user={deleting}
          onCancel={() => setDeleting(null)}
          onDeleted={(name) => {
            onNotice(`Deleted ${name}.`);
            setDeleting(null);
          }}
        />
      )}
    </main>
  );
}
