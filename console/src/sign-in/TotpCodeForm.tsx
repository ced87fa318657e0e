// The second step of a TOTP sign-in: the current code of the authenticator app, or one of the
// recovery codes instead (not while enrolling: there are none yet).
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { TotpToken } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { useTRPC } from '../trpc';
import { OneTimeCodeField } from '../common/OneTimeCodeField';

interface TotpCodeFormProps {
  challengeToken: string;
  allowRecoveryCode: boolean;
  onSignedIn: (result: TotpToken) => void;
  onCancel: () => void;
}

export function TotpCodeForm({ challengeToken, allowRecoveryCode, onSignedIn, onCancel }: TotpCodeFormProps) {
  const trpc = useTRPC();
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const [value, setValue] = useState('');
  const verify = useMutation(trpc.auth.totp.mutationOptions({ onSuccess: onSignedIn }));
  const input = useRef<HTMLInputElement>(null);
  const switched = useRef(false);
  useEffect(() => {
    // after "Use a recovery code instead" (and back), the new field takes the focus
    if (switched.current) input.current?.focus();
  }, [useRecoveryCode]);

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const entered = value.trim();
        verify.mutate(
          useRecoveryCode
            ? { challengeToken, recoveryCode: entered }
            : { challengeToken, code: entered.replace(/\s/g, '') },
        );
      }}
    >
      {useRecoveryCode ? (
        <Field label="Recovery code" hint="Each recovery code works once.">
          {(control) => (
            <input
              {...control}
              ref={input}
              autoComplete="off"
              spellCheck={false}
              value={value}
              onChange={(event) => setValue(event.target.value)}
            />
          )}
        </Field>
      ) : (
        <OneTimeCodeField
          label="Code from your authenticator app"
          hint="The 6 digits the app shows now."
          value={value}
          onChange={setValue}
          inputRef={input}
        />
      )}
      {verify.isError && <ErrorMessage error={verify.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={verify.isPending}>
          Sign in
        </button>
        {allowRecoveryCode && (
          <button
            type="button"
            onClick={() => {
              switched.current = true;
              setValue('');
              verify.reset();
              setUseRecoveryCode(!useRecoveryCode);
            }}
          >
            {useRecoveryCode ? 'Use a code from the app instead' : 'Use a recovery code instead'}
          </button>
        )}
        <button type="button" onClick={onCancel}>
          Start again
        </button>
      </div>
    </form>
  );
}
