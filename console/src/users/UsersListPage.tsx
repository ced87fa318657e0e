// The admin's list of users: one page at a time, with a way to create, edit and delete.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { User } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { PageHeading } from '../common/PageHeading';
import { useTRPC } from '../trpc';
import { DeleteUserDialog } from './DeleteUserDialog';
import { Pager, type Paging } from './Pager';
import { UsersTable } from './UsersTable';

interface UsersListPageProps {
  paging: Paging;
  onPaging: (paging: Paging) => void;
  notice: string | null;
  onNotice: (notice: string | null) => void;
  onCreate: () => void;
  onEdit: (user: User) => void;
}

export function UsersListPage({ paging, onPaging, notice, onNotice, onCreate, onEdit }: UsersListPageProps) {
  const trpc = useTRPC();
  const list = useQuery(trpc.users.list.queryOptions(paging, { placeholderData: keepPreviousData }));
  const [deleting, setDeleting] = useState<User | null>(null);
  const page = list.data;
  useEffect(() => {
    // the last user of the last page was deleted: show the page before it
    if (page && page.items.length === 0 && paging.offset > 0 && page.total > 0) {
      onPaging({ offset: Math.max(0, paging.offset - paging.limit), limit: paging.limit });
    }
  }, [page, paging, onPaging]);

  return (
    <main className="page">
      <PageHeading>Users</PageHeading>
      {notice && <Notice>{notice}</Notice>}
      <div className="actions">
        <button type="button" className="primary" onClick={onCreate}>
          Create user
        </button>
      </div>
      {list.isError && <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && <p role="status">Loading users…</p>}
      {page && (
        <>
          {/* the page as the service answered it: while the next one loads, the last one stays, all of it */}
          <Pager paging={{ offset: page.offset, limit: page.limit }} total={page.total} onChange={onPaging} />
          <UsersTable users={page.items} busy={list.isPlaceholderData} onEdit={onEdit} onDelete={setDeleting} />
        </>
      )}
      {deleting && (
        <DeleteUserDialog
          user={deleting}
          onCancel={() => setDeleting(null)}
          onDeleted={() => {
            onNotice(`Deleted ${deleting.name}.`);
            setDeleting(null);
          }}
        />
      )}
    </main>
  );
}
