// One page of users, in the list's order; given a sort, its Name, Email, Age and Created headers
// sort the list (./SortableHeader.tsx).
import type { ReactNode } from 'react';
import type { User, UserSort, UserSortField } from '../api';
import { formatTime, GENDER_LABELS, SIGN_IN_METHOD_LABELS } from './labels';
import { SORT_COLUMNS } from './list-view';
import { SortableHeader } from './SortableHeader';

interface UsersTableProps {
  users: readonly User[];
  /** Another page is on its way. */
  busy?: boolean;
  /** How the list is sorted, and how to sort it by a header; without it the headers are plain. */
  sorting?: { sort: UserSort; onSort: (sort: UserSort) => void };
  onEdit: (user: User) => void;
  onDelete: (user: User) => void;
}

export function UsersTable({ users, busy = false, sorting, onEdit, onDelete }: UsersTableProps) {
  const header = (field: UserSortField): ReactNode =>
    sorting ? (
      <SortableHeader field={field} label={SORT_COLUMNS[field]} sort={sorting.sort} onSort={sorting.onSort} />
    ) : (
      <th scope="col">{SORT_COLUMNS[field]}</th>
    );
  return (
    <table className="users" aria-busy={busy}>
      <caption className="visually-hidden">Users</caption>
      <thead>
        <tr>
          {header('name')}
          {header('email')}
          <th scope="col">Sign-in method</th>
          {header('age')}
          <th scope="col">Gender</th>
          {header('createdAt')}
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.id}>
            <th scope="row">{user.name}</th>
            <td>{user.email.email}</td>
            <td>{SIGN_IN_METHOD_LABELS[user.email.authMethod]}</td>
            <td>{user.age}</td>
            <td>{GENDER_LABELS[user.gender]}</td>
            <td className="created">{formatTime(user.createdAt)}</td>
            <td>
              <div className="row-actions">
                <button type="button" onClick={() => onEdit(user)}>
                  Edit<span className="visually-hidden"> {user.name}</span>
                </button>
                <button type="button" className="danger-quiet" onClick={() => onDelete(user)}>
                  Delete<span className="visually-hidden"> {user.name}</span>
                </button>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
