// What an admin works in: the list, "Create user", "Import users", and one user at a time. Which users the list
// shows (search, methods, order, page size) is in the address (./list-view.ts), so a reload or a
// shared link shows the same list; the cursors of the pages read so far are kept here, in memory,
// so that "Previous page" walks back through them and "Back to users" returns to the same page
// (a cursor expires and means nothing to another visit, so it stays out of the address). After
// signing in again for a change of its own credentials, an admin comes back to its own form.
import { useState } from 'react';
import type { Session, UserListCursor } from '../api';
import { useSessionStore } from '../session';
import { CreateUserPage } from './CreateUserPage';
import { EditUserPage } from './EditUserPage';
import { ImportUsersPage } from './ImportUsersPage';
import { useListAddress, type ListView } from './list-view';
import { UsersListPage } from './UsersListPage';

type View = { name: 'list' } | { name: 'create' } | { name: 'import' } | { name: 'edit'; id: string };

export function UsersPage({ session }: { session: Session }) {
  const store = useSessionStore();
  // back from signing in again: to the form the change was left on (always the admin's own)
  const [view, setView] = useState<View>(() =>
    store.resume?.userId === session.userId ? { name: 'edit', id: session.userId } : { name: 'list' },
  );
  const [listView, setListView] = useListAddress();
  const [cursors, setCursors] = useState<UserListCursor[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const show = (next: View, message: string | null = null) => {
    setNotice(message);
    setView(next);
  };
  // another search, order or page size starts from its first page
  const changeList = (next: ListView) => {
    setListView(next);
    setCursors([]);
  };
  switch (view.name) {
    case 'create':
      return (
        <CreateUserPage
          onBack={() => show({ name: 'list' })}
          onCreated={(user) => show({ name: 'edit', id: user.id }, `Created ${user.name}.`)}
        />
      );
    case 'import':
      return <ImportUsersPage onBack={() => show({ name: 'list' })} />;
    case 'edit':
      return (
        <EditUserPage
          key={view.id}
          id={view.id}
          selfId={session.userId}
          title={(name) => `Edit ${name}`}
          isSelf={view.id === session.userId}
          // an admin's own passkeys, on its own page (admins are never acted as)
          ownCredentials={view.id === session.userId}
          notice={notice}
          onBack={() => show({ name: 'list' })}
          onDeleted={(name) => show({ name: 'list' }, `Deleted ${name}.`)}
        />
      );
    case 'list':
      return (
        <UsersListPage
          view={listView}
          onView={changeList}
          cursors={cursors}
          onCursors={setCursors}
          notice={notice}
          onNotice={setNotice}
          onCreate={() => show({ name: 'create' })}
          onImport={() => show({ name: 'import' })}
          onEdit={(user) => show({ name: 'edit', id: user.id })}
        />
      );
  }
}
