// "Forgot your password?": ask for a reset code by email. The service answers the same for every
// address, known or not, and so does this form; then the reset form takes the code.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { useTRPC } from '../trpc';

export function ForgotPasswordForm({
  onRequested,
  onCancel,
}: {
  onRequested: (email: string, message: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const forgot = useMutation(
    trpc.auth.password.forgot.mutationOptions({ onSuccess: ({ message }) => onRequested(email, message) }),
  );
  return (
    <form
      aria-labelledby="forgot-password"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        forgot.mutate({ email });
      }}
    >
      <h2 id="forgot-password">Forgot your password?</h2>
      <p>Type the email address you sign in with: a reset code is sent to it if it signs in with a password.</p>
      <Field label="Email">
        {(control) => (
          <input
            {...control}
            type="email"
            autoComplete="email"
            autoFocus
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      {forgot.isError && <ErrorMessage error={forgot.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={forgot.isPending}>
          Email me a reset code
        </button>
        <button type="button" onClick={onCancel}>
          Back to sign in
        </button>
      </div>
    </form>
  );
}
