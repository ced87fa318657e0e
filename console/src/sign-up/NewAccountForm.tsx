// The fields of an account a person makes itself, once its address is proven or about to be (a
// sign-up's code, typed in `leading`; an invitation's link; an OpenID provider's sign-in): the user
// form's, with the address fixed and only the methods a person may choose here.
import { useState, type ReactNode } from 'react';
import type { SignInMethod, UserCreate } from '../api';
import { EMPTY_FORM, UserForm, userInputOf, type UserFormValues } from '../users/UserForm';

/** Password, a code by email, password and authenticator: an OAuth2 account comes from its provider. */
const OWN_ACCOUNT_METHODS: readonly SignInMethod[] = [0, 1, 2];

interface NewAccountFormProps {
  email: string;
  /** The methods offered (password, a code by email, password and authenticator by default). */
  methods?: readonly SignInMethod[];
  /** Values the form starts with (a name the provider gave). */
  initial?: Partial<UserFormValues>;
  onSubmit: (account: UserCreate) => void;
  pending: boolean;
  error: unknown;
  /** Fields before the account's, given the service's message for `code`. */
  leading?: (codeError: string | undefined) => ReactNode;
  /** Buttons beside "Create my account". */
  children?: ReactNode;
}

export function NewAccountForm({
  email,
  methods = OWN_ACCOUNT_METHODS,
  initial,
  onSubmit,
  pending,
  error,
  leading,
  children,
}: NewAccountFormProps) {
  const [values, setValues] = useState({
    ...EMPTY_FORM,
    authMethod: methods[0] ?? EMPTY_FORM.authMethod,
    ...initial,
    email,
  });
  return (
    <UserForm
      label="Your account"
      values={values}
      onChange={setValues}
      onSubmit={() => onSubmit(userInputOf(values))}
      submitLabel="Create my account"
      pending={pending}
      error={error}
      methods={methods}
      emailReadOnly
      passwordHint="At least 8 characters, not a common password, nor one built on your name or address."
      leading={leading}
    >
      {children}
    </UserForm>
  );
}
