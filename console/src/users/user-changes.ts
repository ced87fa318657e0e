// What changed in a user between two reads, field by field, in the words of the form: for the
// console's answer to a write the service refused as stale (the user changed since it was read).
import type { User } from '../api';
import { GENDER_LABELS, SIGN_IN_METHOD_LABELS } from './labels';
import type { UserFormValues } from './UserForm';

/** The fields a person edits, as the form names them (the password is never shown, so never compared). */
export type EditedField = Exclude<keyof UserFormValues, 'password'>;

export const FIELD_LABELS: Record<EditedField, string> = {
  name: 'Name',
  age: 'Age',
  gender: 'Gender',
  email: 'Email',
  authMethod: 'Sign-in method',
};

const FIELDS = Object.keys(FIELD_LABELS) as EditedField[];

/** A field's value as the form holds it. */
function valueOf(user: User, field: EditedField): UserFormValues[EditedField] {
  switch (field) {
    case 'name':
      return user.name;
    case 'age':
      return String(user.age);
    case 'gender':
      return user.gender;
    case 'email':
      return user.email.email;
    case 'authMethod':
      return user.email.authMethod;
  }
}

/** A form value as people read it. */
export function shown(values: Pick<UserFormValues, EditedField>, field: EditedField): string {
  switch (field) {
    case 'gender':
      return GENDER_LABELS[values.gender];
    case 'authMethod':
      return SIGN_IN_METHOD_LABELS[values.authMethod];
    default:
      return values[field];
  }
}

/** The form's values of a user (the fields compared). */
export function editedValuesOf(user: User): Pick<UserFormValues, EditedField> {
  return Object.fromEntries(FIELDS.map((field) => [field, valueOf(user, field)])) as Pick<UserFormValues, EditedField>;
}

/** The fields whose value differs between two reads of a user. */
export function changedFields(before: User, after: User): EditedField[] {
  return FIELDS.filter((field) => valueOf(before, field) !== valueOf(after, field));
}

/** The fields the person changed in the form since it showed `opened`. */
export function editedFields(opened: User, values: UserFormValues): EditedField[] {
  return FIELDS.filter((field) => valueOf(opened, field) !== values[field]);
}

/** `values` with the fields named taken from `user` (the rest as they are). */
export function withValuesOf(values: UserFormValues, user: User, fields: readonly EditedField[]): UserFormValues {
  const taken = editedValuesOf(user);
  return { ...values, ...Object.fromEntries(fields.map((field) => [field, taken[field]])) };
}
