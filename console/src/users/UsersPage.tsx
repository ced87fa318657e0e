// What an admin works in: the list, "Create user", and one user at a time. The page of the list
// is kept while a user is open, so "Back to users" returns to it. After signing in again for a
// change of its own credentials, an admin comes back to its own form.
import { useState } from 'react';
import type { Session } from '../api';
import { useSessionStore } from '../session';
import { CreateUserPage } from './CreateUserPage';
import { EditUserPage } from './EditUserPage';
import type { Paging } from './Pager';
import { UsersListPage } from './UsersListPage';

type View = { name: 'list' } | { name: 'create' } | { name: 'edit'; id: string };

export function UsersPage({ session }: { session: Session }) {
  const store = useSessionStore();
  // back from signing in again: to the form the change was left on (always the admin's own)
  const [view, setView] = useState<View>(() =>
    store.resume?.userId === session.userId ? { name: 'edit', id: session.userId } : { name: 'list' },
  );
  const [paging, setPaging] = useState<Paging>({ offset: 0, limit: 10 });
  const [notice, setNotice] = useState<string | null>(null);
  const show = (next: View, message: string | null = null) => {
    setNotice(message);
    setView(next);
  };
  switch (view.name) {
    case 'create':
      return (
        <CreateUserPage
          onBack={() => show({ name: 'list' })}
          onCreated={(user) => show({ name: 'edit', id: user.id }, `Created ${user.name}.`)}
        />
      );
    case 'edit':
      return (
        <EditUserPage
          key={view.id}
          id={view.id}
          selfId={session.userId}
          title={(name) => `Edit ${name}`}
          isSelf={view.id === session.userId}
          notice={notice}
          onBack={() => show({ name: 'list' })}
          onDeleted={(name) => show({ name: 'list' }, `Deleted ${name}.`)}
        />
      );
    case 'list':
      return (
        <UsersListPage
          paging={paging}
          onPaging={setPaging}
          notice={notice}
          onNotice={setNotice}
          onCreate={() => show({ name: 'create' })}
          onEdit={(user) => show({ name: 'edit', id: user.id })}
        />
      );
  }
}
