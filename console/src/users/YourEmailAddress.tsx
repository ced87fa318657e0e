// "Change your email address" on a person's own profile: the account moves to a new address only
// with the code mailed to it (auth.emailChange), so nobody puts an address on their account that
// they do not read. Asking for the code needs a recent sign-in: past it, the person signs in again
// and comes back here with the address typed (../reauthenticate). Once confirmed, the service ends
// every token of the account; the console then signs the person out, as after any change of how
// they sign in, saying with which address to sign in again.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { User } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { OneTimeCodeField } from '../common/OneTimeCodeField';
import { Notice } from '../common/Notice';
import { fieldProblems } from '../errors';
import { useReauthenticate } from '../reauthenticate';
import { endCookieSession } from '../renewal';
import { useSessionStore } from '../session';
import { useTRPC } from '../trpc';

/** Where this tab last sent a code for the user's new address (sessionStorage: this tab only). */
const PENDING_KEY = 'users-console.email-change';

function pendingAddress(userId: string): string | null {
  try {
    const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { userId?: unknown; to?: unknown };
    return pending?.userId === userId && typeof pending.to === 'string' ? pending.to : null;
  } catch {
    return null;
  }
}

function rememberPending(userId: string, to: string | null): void {
  if (to === null) sessionStorage.removeItem(PENDING_KEY);
  else sessionStorage.setItem(PENDING_KEY, JSON.stringify({ userId, to }));
}

interface YourEmailAddressProps {
  user: User;
  /** The new address typed before signing in again. */
  typedAddress?: string;
}

export function YourEmailAddress({ user, typedAddress }: YourEmailAddressProps) {
  const trpc = useTRPC();
  const session = useSessionStore();
  const queryClient = useQueryClient();
  const reauthenticate = useReauthenticate();
  const headingId = useId();
  const [address, setAddress] = useState(typedAddress ?? '');
  // the code step outlives a reload of this tab (the code is in a mail, not here)
  const [sentTo, setSentToState] = useState<string | null>(() => pendingAddress(user.id));
  const setSentTo = (address: string | null) => {
    rememberPending(user.id, address);
    setSentToState(address);
  };
  const [code, setCode] = useState('');
  const start = useMutation(
    trpc.auth.emailChange.start.mutationOptions({
      onSuccess: (_, { email }) => {
        setSentTo(email);
        setCode('');
        // the request is in the person's history now
        void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: user.id }));
      },
      onError: (error) => void reauthenticate(error, { userId: user.id, action: 'address', address }),
    }),
  );
  const confirm = useMutation(
    trpc.auth.emailChange.confirm.mutationOptions({
      onSuccess: (updated) => {
        rememberPending(user.id, null);
        void endCookieSession();
        session.end(`Your email address is now ${updated.email.email}: sign in again with it.`);
      },
    }),
  );
  const asked = fieldProblems(start.error, ['email']);
  const confirmed = fieldProblems(confirm.error, ['code', 'email']);
  const codeError = confirmed.fields.code ?? confirmed.fields.email;
  // a refusal of the one field is said next to it, and the focus goes there to hear it
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (start.error || confirm.error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [start.error, confirm.error]);

  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>Change your email address</h3>
      {sentTo === null ? (
        <form
          ref={form}
          aria-labelledby={headingId}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            start.mutate({ email: address.trim() });
          }}
        >
          <p>
            Your account signs in and gets its mail at {user.email.email}. To move it to another address, we send a code
            to the new one: it changes once you type the code here.
          </p>
          <Field label="New email address" error={asked.fields.email}>
            {(control) => (
              <input
                {...control}
                type="email"
                autoComplete="email"
                value={address}
                onChange={(event) => setAddress(event.target.value)}
              />
            )}
          </Field>
          {start.error && asked.fields.email === undefined ? <ErrorMessage error={start.error} /> : null}
          <div className="actions">
            <button type="submit" disabled={start.isPending}>
              Send a code to the new address
            </button>
          </div>
        </form>
      ) : (
        <form
          ref={form}
          aria-labelledby={headingId}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            confirm.mutate({ email: sentTo, code: code.trim() });
          }}
        >
          <Notice>
            If {sentTo} can be your address, a code is on its way to it. It works once, for 10 minutes. Until you type
            it, your address stays {user.email.email}.
          </Notice>
          <OneTimeCodeField value={code} onChange={setCode} hint="6 digits." error={codeError} autoFocus />
          {confirm.error && codeError === undefined ? <ErrorMessage error={confirm.error} /> : null}
          {start.error ? <ErrorMessage error={start.error} /> : null}
          <div className="actions">
            <button type="submit" className="primary" disabled={confirm.isPending}>
              Confirm the new address
            </button>
            <button type="button" disabled={start.isPending} onClick={() => start.mutate({ email: sentTo })}>
              Send a new code
            </button>
            <button
              type="button"
              onClick={() => {
                setSentTo(null);
                confirm.reset();
              }}
            >
              Use another address
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
