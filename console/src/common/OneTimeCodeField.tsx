// The field for a one-time code a person reads from an email (a sign-in code, a reset code, a
// sign-up's, a new address's) or from its authenticator app: digits on a phone's keypad, and the
// browser's offer of the code it just received.
import type { Ref } from 'react';
import { Field } from './Field';

interface OneTimeCodeFieldProps {
  value: string;
  onChange: (code: string) => void;
  /** How long the code works, and anything else to say of it. */
  hint: string;
  label?: string;
  error?: string;
  autoFocus?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

export function OneTimeCodeField({
  value,
  onChange,
  hint,
  label = 'Code from the email',
  error,
  autoFocus,
  inputRef,
}: OneTimeCodeFieldProps) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <input
          {...control}
          ref={inputRef}
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus={autoFocus}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
