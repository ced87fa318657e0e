// One page of users, in the service's order (creation, then id: the same on every visit).
import type { User } from '../api';
import { GENDER_LABELS, SIGN_IN_METHOD_LABELS } from './labels';

interface UsersTableProps {
  users: readonly User[];
  /** Another page is on its way. */
  busy?: boolean;
  onEdit: (user: User) => void;
  onDelete: (user: User) => void;
}

export function UsersTable({ users, busy = false, onEdit, onDelete }: UsersTableProps) {
  return (
    <table className="users" aria-busy={busy}>
      <caption className="visually-hidden">Users</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Sign-in method</th>
          <th scope="col">Age</th>
          <th scope="col">Gender</th>
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
