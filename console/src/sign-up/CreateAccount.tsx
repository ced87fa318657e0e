// "Create an account" (when the service takes sign-ups): the address first, for the service to mail
// a code to it, then the code with the account's fields. The service answers the first step the
// same for every address, and so does this form; what the second step ends in (signed in, or the
// authenticator to set up) is the sign-in page's to show, as after a password.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { LoginResult } from '../api';
import { EmailRequestForm } from '../common/EmailRequestForm';
import { useTRPC } from '../trpc';
import { CodeAndAccountForm } from './CodeAndAccountForm';

interface CreateAccountProps {
  onResult: (result: LoginResult) => void;
  onCancel: () => void;
  /** The address and code of a sign-up mail's link, when it opened the console: the second step. */
  mailed?: { email: string; code: string };
}

export function CreateAccount({ onResult, onCancel, mailed }: CreateAccountProps) {
  const trpc = useTRPC();
  // the address a code went to, and what the service said: kept while a new code is asked for
  const [sent, setSent] = useState<{ email: string; message: string; code?: string } | null>(
    mailed ? { ...mailed, message: 'Your code from the email is filled in below.' } : null,
  );
  const start = useMutation(
    trpc.auth.signUp.start.mutationOptions({ onSuccess: ({ message }, { email }) => setSent({ email, message }) }),
  );

  if (sent) {
    return (
      <CodeAndAccountForm
        email={sent.email}
        notice={sent.message}
        code={sent.code}
        onResult={onResult}
        newCode={{
          ask: () => start.mutate({ email: sent.email }),
          pending: start.isPending,
          error: start.isError ? start.error : null,
        }}
        onCancel={onCancel}
      />
    );
  }
  return (
    <EmailRequestForm
      title="Your email"
      intro="We will send a code to this address, to prove it is yours."
      submitLabel="Email me a code"
      pending={start.isPending}
      error={start.isError ? start.error : null}
      onSubmit={(email) => start.mutate({ email })}
      onCancel={onCancel}
    />
  );
}
