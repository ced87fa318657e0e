// A one-time code by email: ask for a code, then type the code from the email. The service gives
// the same answer for every address, known or not, and so does this form.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { OneTimeCodeField } from '../common/OneTimeCodeField';
import { Notice } from '../common/Notice';
import { useTRPC } from '../trpc';
import { useSignIn } from './sign-in';

export function EmailCodeSignInForm() {
  const trpc = useTRPC();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const request = useMutation(trpc.auth.otp.request.mutationOptions());
  const verify = useMutation(trpc.auth.otp.verify.mutationOptions({ onSuccess: ({ token }) => signIn(token) }));
  const codeInput = useRef<HTMLInputElement>(null);
  const requested = request.isSuccess;
  useEffect(() => {
    if (requested) codeInput.current?.focus();
  }, [requested, request.submittedAt]);

  return (
    <form
      aria-labelledby="email-code-sign-in"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (requested) verify.mutate({ email, code: code.trim() });
        else request.mutate({ email });
      }}
    >
      <h3 id="email-code-sign-in">With a code sent by email</h3>
      <Field label="Email for the code">
        {(control) => (
          <input
            {...control}
            type="email"
            autoComplete="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      {requested && (
        <>
          <Notice>{request.data.message}</Notice>
          <OneTimeCodeField
            value={code}
            onChange={setCode}
            hint="6 digits. A code works once, for 10 minutes."
            inputRef={codeInput}
          />
        </>
      )}
      {request.isError && <ErrorMessage error={request.error} />}
      {verify.isError && <ErrorMessage error={verify.error} />}
      {requested ? (
        <div className="actions">
          <button type="submit" className="primary" disabled={verify.isPending}>
            Sign in with the code
          </button>
          <button type="button" disabled={request.isPending} onClick={() => request.mutate({ email })}>
            Send a new code
          </button>
        </div>
      ) : (
        <button type="submit" className="primary" disabled={request.isPending}>
          Email me a code
        </button>
      )}
    </form>
  );
}
