// The fields of a user, each with its visible label: Name, Age, Gender, Email, Sign-in method,
// Password (and, for a person making its own account, the code mailed to it before them). The
// service is the one judge of what is valid (the console checks and restates no
// rule, so it cannot drift from the schema): its message for a field is shown next to that
// field, the form keeps what was typed, and the focus goes to the first field to fix.
import { useEffect, useRef, type ReactNode, type RefObject } from 'react';
import type { Gender, SignInMethod, User, UserCreate } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { fieldProblems } from '../errors';
import { GENDER_LABELS, optionsOf, SIGN_IN_METHOD_LABELS, usesPassword } from './labels';

export interface UserFormValues {
  name: string;
  age: string;
  gender: Gender;
  email: string;
  authMethod: SignInMethod;
  password: string;
}

export const EMPTY_FORM: UserFormValues = { name: '', age: '', gender: 0, email: '', authMethod: 0, password: '' };

export function formValuesOf(user: User): UserFormValues {
  return {
    name: user.name,
    age: String(user.age),
    gender: user.gender,
    email: user.email.email,
    authMethod: user.email.authMethod,
    password: '',
  };
}

/** What the form sends: a password only when one was typed for a method that uses it. */
export function userInputOf(values: UserFormValues): UserCreate {
  const age = values.age.trim();
  return {
    name: values.name,
    // not a number (an empty field included) goes as such, for the service to name the field
    age: age === '' ? NaN : Number(age),
    gender: values.gender,
    email: {
      email: values.email,
      authMethod: values.authMethod,
      ...(usesPassword(values.authMethod) && values.password !== '' ? { password: values.password } : {}),
    },
  };
}

const FIELDS = ['code', 'name', 'age', 'gender', 'email.email', 'email.authMethod', 'email.password'] as const;

interface UserFormProps {
  label: string;
  values: UserFormValues;
  onChange: (values: UserFormValues) => void;
  onSubmit: () => void;
  submitLabel: string;
  /** The submit button, for a page to bring the focus back to. */
  submitRef?: RefObject<HTMLButtonElement | null>;
  pending: boolean;
  error: unknown;
  /** Said under the password: whether an empty one keeps the current password. */
  passwordHint: string;
  /** The sign-in methods offered; every one by default. */
  methods?: readonly SignInMethod[];
  /** The email is given and shown, not typed (an address already proven, or one changed elsewhere). */
  emailReadOnly?: boolean;
  /** Said under the email: where it is changed, when not here. */
  emailHint?: string;
  /** Fields before the user's own, given the service's message for `code` (a sign-up's code). */
  leading?: (codeError: string | undefined) => ReactNode;
  children?: ReactNode;
}

export function UserForm(props: UserFormProps) {
  const { values, onChange, error } = props;
  const { fields, rest } = fieldProblems(error, FIELDS);
  const fieldCount = Object.keys(fields).length;
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);
  const set = <K extends keyof UserFormValues>(key: K, value: UserFormValues[K]) =>
    onChange({ ...values, [key]: value });
  const hasPassword = usesPassword(values.authMethod);

  return (
    <form
      ref={form}
      aria-label={props.label}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit();
      }}
    >
      {props.leading?.(fields.code)}
      <Field label="Name" error={fields.name}>
        {(control) => (
          <input {...control} autoComplete="off" value={values.name} onChange={(e) => set('name', e.target.value)} />
        )}
      </Field>
      <Field label="Age" error={fields.age}>
        {(control) => (
          <input {...control} inputMode="numeric" value={values.age} onChange={(e) => set('age', e.target.value)} />
        )}
      </Field>
      <Field label="Gender" error={fields.gender}>
        {(control) => (
          <select {...control} value={values.gender} onChange={(e) => set('gender', Number(e.target.value) as Gender)}>
            {optionsOf(GENDER_LABELS).map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Email" hint={props.emailHint} error={fields['email.email']}>
        {(control) => (
          <input
            {...control}
            type="email"
            autoComplete="off"
            readOnly={props.emailReadOnly}
            value={values.email}
            onChange={(e) => set('email', e.target.value)}
          />
        )}
      </Field>
      <Field label="Sign-in method" error={fields['email.authMethod']}>
        {(control) => (
          <select
            {...control}
            value={values.authMethod}
            onChange={(e) => set('authMethod', Number(e.target.value) as SignInMethod)}
          >
            {optionsOf(SIGN_IN_METHOD_LABELS)
              .filter(({ value }) => props.methods?.includes(value) ?? true)
              .map(({ value, label }) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
          </select>
        )}
      </Field>
      <Field
        label="Password"
        hint={hasPassword ? props.passwordHint : 'Not used: this sign-in method has no password.'}
        error={fields['email.password']}
      >
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            disabled={!hasPassword}
            value={hasPassword ? values.password : ''}
            onChange={(e) => set('password', e.target.value)}
          />
        )}
      </Field>
      {fieldCount > 0 ? (
        <div role="alert" className="alert">
          <p>
            The service did not accept {fieldCount === 1 ? 'a field' : 'some fields'}: see the message next to{' '}
            {fieldCount === 1 ? 'it' : 'each'}.{rest.length > 0 && ` Also: ${rest.join('; ')}.`}
          </p>
        </div>
      ) : error ? (
        <ErrorMessage error={error} />
      ) : null}
      <div className="actions">
        <button ref={props.submitRef} type="submit" className="primary" disabled={props.pending}>
          {props.submitLabel}
        </button>
        {props.children}
      </div>
    </form>
  );
}
