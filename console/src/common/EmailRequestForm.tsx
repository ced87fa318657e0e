// A form that asks for an email address for the service to mail something to (a reset code, a
// sign-up code): its title, what will be sent, the address, the service's refusal, and the way back.
// What the service answered is the caller's to show: it is the same for every address.
import { useId, useState } from 'react';
import { ErrorMessage } from './ErrorMessage';
import { Field } from './Field';

interface EmailRequestFormProps {
  title: string;
  /** What is sent, and to which addresses. */
  intro: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (email: string) => void;
  onCancel: () => void;
}

export function EmailRequestForm({
  title,
  intro,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: EmailRequestFormProps) {
  const titleId = useId();
  const [email, setEmail] = useState('');
  return (
    <form
      aria-labelledby={titleId}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(email.trim());
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <p>{intro}</p>
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
      {error ? <ErrorMessage error={error} /> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={pending}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Back to sign in
        </button>
      </div>
    </form>
  );
}
