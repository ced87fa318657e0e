// The reset form: the email, the code from the reset mail (filled in when the mail's link opened
// the console) and a new password, typed twice. A reset signs nobody in: back on the sign-in
// screen, the person signs in with the new password (and its authenticator, for two-step users).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { fieldProblems } from '../errors';
import { Field } from '../common/Field';
import { OneTimeCodeField } from '../common/OneTimeCodeField';
import { Notice } from '../common/Notice';
import { useTRPC } from '../trpc';

interface ResetPasswordFormProps {
  email: string;
  code: string;
  /** What the service said when the code was asked for. */
  notice?: string;
  onReset: (message: string) => void;
  onCancel: () => void;
}

export function ResetPasswordForm({
  email: initialEmail,
  code: initialCode,
  notice,
  onReset,
  onCancel,
}: ResetPasswordFormProps) {
  const trpc = useTRPC();
  const [email, setEmail] = useState(initialEmail);
  const [code, setCode] = useState(initialCode);
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const reset = useMutation(trpc.auth.password.reset.mutationOptions({ onSuccess: ({ message }) => onReset(message) }));
  // the service's reason a new password is refused (too common, say) is said at the field
  const { fields, rest } = fieldProblems(reset.error, ['newPassword']);
  return (
    <form
      aria-labelledby="reset-password"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const differ = password !== again;
        setMismatch(differ);
        if (!differ) reset.mutate({ email, code: code.trim(), newPassword: password });
      }}
    >
      <h2 id="reset-password">Choose a new password</h2>
      {notice && <Notice>{notice}</Notice>}
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
      <OneTimeCodeField
        label="Reset code from the email"
        value={code}
        onChange={setCode}
        hint="6 digits. A code works once, for 30 minutes."
        autoFocus={initialEmail !== '' && initialCode === ''}
      />
      <Field
        label="New password"
        error={fields.newPassword}
        hint="At least 8 characters; not a common password, nor one built on your name or address. A few unrelated words make a strong one."
      >
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            autoFocus={initialCode !== ''}
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
              setMismatch(false);
            }}
          />
        )}
      </Field>
      <Field label="New password again" error={mismatch ? 'The two passwords differ.' : undefined}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            value={again}
            onChange={(event) => {
              setAgain(event.target.value);
              setMismatch(false);
            }}
          />
        )}
      </Field>
      {reset.isError && (fields.newPassword === undefined || rest.length > 0) && <ErrorMessage error={reset.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={reset.isPending}>
          Set the new password
        </button>
        <button type="button" onClick={onCancel}>
          Back to sign in
        </button>
      </div>
    </form>
  );
}
