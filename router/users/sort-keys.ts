// The orders a list can be read in, as SQL over `users u join emails e`: each field's expression, the
// text or number a cursor keeps of it (exact: the creation time to the microsecond, in UTC, so it
// reads back as the same instant whatever the session's time zone or date style), and how that value
// becomes a key again. Each order is served by an index of its key and the id (users: created_at,
// name, age; emails: the address's key, unique, so no two users tie on it).
import { emailKeySql } from '../../entities/email-key';
import type { SortField } from './user-schemas';

export interface SortKey {
  /** The expression the list is ordered by. */
  expression: string;
  /** The value a cursor keeps of it (text or number). */
  cursorValue: string;
  /** That value, passed as the parameter `placeholder` (`$3`), as a key again. */
  fromCursor: (placeholder: string) => string;
  /** Whether the expression is a column of users, so `(key, u.id)` is one index's row comparison. */
  ofUsers: boolean;
}

/** The creation time as a cursor keeps it: ISO 8601 in UTC to the microsecond, without the zone. */
export function createdAtKeySql(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
}

export const SORT_KEYS: Record<SortField, SortKey> = {
  createdAt: {
    expression: 'u.created_at',
    cursorValue: createdAtKeySql('u.created_at'),
    fromCursor: (p) => `(${p}::timestamp at time zone 'UTC')`,
    ofUsers: true,
  },
  name: { expression: 'u.name', cursorValue: 'u.name', fromCursor: (p) => `${p}::varchar`, ofUsers: true },
  age: { expression: 'u.age', cursorValue: 'u.age', fromCursor: (p) => `${p}::smallint`, ofUsers: true },
  email: {
    expression: emailKeySql('e.address'),
    cursorValue: emailKeySql('e.address'),
    fromCursor: (p) => `${p}::text`,
    ofUsers: false,
  },
};
