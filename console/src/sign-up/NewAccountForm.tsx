// The second step of making an account: the code from the email, and the account's fields (the
// user form's, with the address fixed and only the methods a person may choose here).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { LoginResult, SignInMethod } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { Notice } from '../common/Notice';
import { useTRPC } from '../trpc';
import { EMPTY_FORM, UserForm, userInputOf } from '../users/UserForm';

/** Password, a code by email, password and authenticator: an OAuth2 account comes from its provider. */
const SIGN_UP_METHODS: readonly SignInMethod[] = [0, 1, 2];

interface NewAccountFormProps {
  email: string;
  /** What the service said of the code it mailed. */
  notice: string;
  onResult: (result: LoginResult) => void;
  /** Asking for a new code, and how that went. */
  newCode: { ask: () => void; pending: boolean; error: unknown };
  onCancel: () => void;
}

export function NewAccountForm({ email, notice, onResult, newCode, onCancel }: NewAccountFormProps) {
  const trpc = useTRPC();
  const [code, setCode] = useState('');
  const [values, setValues] = useState({ ...EMPTY_FORM, email });
  const complete = useMutation(trpc.auth.signUp.complete.mutationOptions({ onSuccess: onResult }));
  const submit = () => {
    const user = userInputOf(values);
    complete.mutate({ code: code.trim(), name: user.name, age: user.age, gender: user.gender, email: user.email });
  };

  return (
    <>
      <Notice>{notice}</Notice>
      {newCode.error ? <ErrorMessage error={newCode.error} /> : null}
      <UserForm
        label="Your account"
        values={values}
        onChange={setValues}
        onSubmit={submit}
        submitLabel="Create my account"
        pending={complete.isPending}
        error={complete.error}
        methods={SIGN_UP_METHODS}
        emailReadOnly
        passwordHint="At least 8 characters, not a common password, nor one built on your name or address."
        leading={(codeError) => (
          <Field label="Code from the email" hint="6 digits. A code works once, for 10 minutes." error={codeError}>
            {(control) => (
              <input
                {...control}
                inputMode="numeric"
                autoComplete="one-time-code"
                autoFocus
                value={code}
                onChange={(event) => setCode(event.target.value)}
              />
            )}
          </Field>
        )}
      >
        <button type="button" disabled={newCode.pending} onClick={newCode.ask}>
          Send a new code
        </button>
        <button type="button" onClick={onCancel}>
          Back to sign in
        </button>
      </UserForm>
    </>
  );
}
