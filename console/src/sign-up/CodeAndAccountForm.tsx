// The second step of a sign-up: the code from the email, with the account's fields.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { LoginResult } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { OneTimeCodeField } from '../common/OneTimeCodeField';
import { Notice } from '../common/Notice';
import { useTRPC } from '../trpc';
import { NewAccountForm } from './NewAccountForm';

interface CodeAndAccountFormProps {
  email: string;
  /** What the service said of the code it mailed. */
  notice: string;
  /** The code, when a mail's link brought it. */
  code?: string;
  onResult: (result: LoginResult) => void;
  /** Asking for a new code, and how that went. */
  newCode: { ask: () => void; pending: boolean; error: unknown };
  onCancel: () => void;
}

export function CodeAndAccountForm({
  email,
  notice,
  code: mailed,
  onResult,
  newCode,
  onCancel,
}: CodeAndAccountFormProps) {
  const trpc = useTRPC();
  const [code, setCode] = useState(mailed ?? '');
  const complete = useMutation(trpc.auth.signUp.complete.mutationOptions({ onSuccess: onResult }));
  return (
    <>
      <Notice>{notice}</Notice>
      {newCode.error ? <ErrorMessage error={newCode.error} /> : null}
      <NewAccountForm
        email={email}
        onSubmit={({ name, age, gender, email: method }) =>
          complete.mutate({ code: code.trim(), name, age, gender, email: method })
        }
        pending={complete.isPending}
        error={complete.error}
        leading={(codeError) => (
          <OneTimeCodeField
            value={code}
            onChange={setCode}
            hint="6 digits. A code works once, for 10 minutes."
            error={codeError}
            autoFocus
          />
        )}
      >
        <button type="button" disabled={newCode.pending} onClick={newCode.ask}>
          Send a new code
        </button>
        <button type="button" onClick={onCancel}>
          Back to sign in
        </button>
      </NewAccountForm>
    </>
  );
}
