// The fields of an account a person makes itself, once its address is proven or about to be (a
// sign-up's code, typed in `leading`; an invitation's link): the user form's, with the address fixed
// and only the methods a person may choose here.
import { useState, type ReactNode } from 'react';
import type { SignInMethod, UserCreate } from '../api';
import { EMPTY_FORM, UserForm, userInputOf } from '../users/UserForm';

/** Password, a code by email, password and authenticator: an OAuth2 account comes from its provider. */
const OWN_ACCOUNT_METHODS: readonly SignInMethod[] = [0, 1, 2];

interface NewAccountFormProps {
  email: string;
  onSubmit: (account: UserCreate) => void;
  pending: boolean;
  error: unknown;
  /** Fields before the account's, given the service's message for `code`. */
  leading?: (codeError: string | undefined) => ReactNode;
  /** Buttons beside "Create my account". */
  children?: ReactNode;
}

export function NewAccountForm({ email, onSubmit, pending, error, leading, children }: NewAccountFormProps) {
  const [values, setValues] = useState({ ...EMPTY_FORM, email });
  return (
    <UserForm
      label="Your account"
      values={values}
      onChange={setValues}
      onSubmit={() => onSubmit(userInputOf(values))}
      submitLabel="Create my account"
      pending={pending}
      error={error}
      methods={OWN_ACCOUNT_METHODS}
      emailReadOnly
      passwordHint="At least 8 characters, not a common password, nor one built on your name or address."
      leading={leading}
    >
      {children}
    </UserForm>
  );
}
