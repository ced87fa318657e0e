// Email and password: a token, or the TOTP step (a code, or the enrollment) that stands between
// the password and a token.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { LoginResult } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { useTRPC } from '../trpc';

export function PasswordSignInForm({ onResult }: { onResult: (result: LoginResult) => void }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation(trpc.auth.login.mutationOptions({ onSuccess: onResult }));
  return (
    <form
      aria-labelledby="password-sign-in"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        login.mutate({ email, password });
      }}
    >
      <h3 id="password-sign-in">With your email and password</h3>
      <Field label="Email">
        {(control) => (
          <input
            {...control}
            type="email"
            autoComplete="username"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      <Field label="Password">
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        )}
      </Field>
      {login.isError && <ErrorMessage error={login.error} />}
      <button type="submit" className="primary" disabled={login.isPending}>
        Sign in
      </button>
    </form>
  );
}
