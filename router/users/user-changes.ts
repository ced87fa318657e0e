// What a user event says about the user: its non-secret fields (never a password or its hash),
// and, for an update, the names of the fields that changed with their values before and after.
import type { User } from '../../entities';
import type { EventData, FieldChange } from '../events/events-store';
import { fieldChanges } from '../events/field-changes';

/** The fields an event may show, as the API names them. */
export interface UserFields {
  name: string;
  age: number;
  gender: number;
  email: string;
  authMethod: number;
}

export function userFields(user: User): UserFields {
  return {
    name: user.name,
    age: user.age,
    gender: user.gender,
    email: user.email.address,
    authMethod: user.email.authMethod,
  };
}

/** user.created: every field, from nothing. */
export function createdChanges(after: UserFields): EventData {
  const changes: Record<string, FieldChange> = {};
  for (const [field, value] of Object.entries(after)) changes[field] = { before: null, after: value };
  return { fields: Object.keys(changes), changes };
}

/** user.updated: the fields that differ; `password` is named when one was sent, with no values. */
export function updateChanges(before: UserFields, after: UserFields, passwordSent: boolean): EventData {
  const { fields, changes } = fieldChanges(before, after);
  return { fields: [...fields, ...(passwordSent ? ['password'] : [])], changes };
}
