// What an empty search shows instead of an empty table: what was looked for, and a way back to
// every user.
import type { SignInMethod } from '../api';
import { SIGN_IN_METHOD_LABELS } from './labels';
import type { ListView } from './list-view';

export function NoUsersMatch({ view, onClear }: { view: ListView; onClear: () => void }) {
  const methods = view.authMethods.map((method: SignInMethod) => SIGN_IN_METHOD_LABELS[method]).join(' or ');
  const parts = [
    view.q && `has “${view.q}” in their name or email`,
    methods && `signs in by ${methods}`,
    view.metadata && `has metadata containing ${view.metadata}`,
  ].filter(Boolean);
  return (
    <div className="no-match">
      <p>No user {parts.join(' and ')}.</p>
      <button type="button" onClick={onClear}>
        Clear the search
      </button>
    </div>
  );
}
