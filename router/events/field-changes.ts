// What an update event says changed: the names of the fields whose values differ, each with its
// value before and after. One shape for every kind of record (a user, a webhook endpoint), so a
// reader of the feed, a webhook receiver and the console read every update one way.
import { isDeepStrictEqual } from 'node:util';
import type { FieldChange } from './events-store';

export interface FieldChanges {
  fields: string[];
  changes: Record<string, FieldChange>;
}

/** The fields of `after` whose values differ from `before` (lists and objects compared by value). */
export function fieldChanges<T extends object>(before: T, after: T): FieldChanges {
  const changes: Record<string, FieldChange> = {};
  for (const field of Object.keys(after) as Array<keyof T & string>) {
    if (!isDeepStrictEqual(before[field], after[field]))
      changes[field] = { before: before[field], after: after[field] };
  }
  return { fields: Object.keys(changes), changes };
}
