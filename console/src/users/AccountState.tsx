// For admins, on another user's page: when the user last signed in; whether the account is disabled (why, until when), a form
// to disable it (a reason, optionally an end date) and a button to enable it; for a two-step user
// (authMethod 2), "Reset authenticator" for a lost phone, behind a confirmation; for a user with a
// password, while the service can send mail, "Email a password reset link" (the admin never sees the
// code). Disabling and the authenticator's reset end every session of the user.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { User } from '../api';
import { ConfirmQuestion, useReturnFocus } from '../common/ConfirmQuestion';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { Notice } from '../common/Notice';
import { useTRPC } from '../trpc';
import { usesPassword } from './labels';
import { LastSignIn } from './LastSignIn';

export function AccountState({ user }: { user: User }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.users.status.queryOptions({ id: user.id }));
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmingReset, setConfirmingReset] = useState(false);
  const resetButton = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useReturnFocus(confirmingReset, resetButton, heading);
  // a notice comes once what it tells of is on the page, never beside the state it replaced
  const changed = (message: string) => async () => {
    await queryClient.invalidateQueries(trpc.users.status.queryFilter({ id: user.id }));
    // disabling ends every session of the user (./UserSessions.tsx shows them)
    await queryClient.invalidateQueries(trpc.sessions.ofUser.queryFilter({ id: user.id }));
    setNotice(message);
  };
  const disable = useMutation(
    trpc.users.disable.mutationOptions({ onSuccess: changed(`${user.name} is disabled and signed out everywhere.`) }),
  );
  const enable = useMutation(trpc.users.enable.mutationOptions({ onSuccess: changed(`${user.name} is enabled.`) }));
  // the service can mail when it offers codes by email (auth.methods)
  const methods = useQuery(trpc.auth.methods.queryOptions({}));
  const sendReset = useMutation(
    trpc.auth.password.send.mutationOptions({
      onSuccess: async ({ message }) => {
        // the mail is in the user's history now
        await queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: user.id }));
        setNotice(message);
      },
    }),
  );
  const resetTotp = useMutation(
    trpc.users.resetTotp.mutationOptions({
      onSuccess: async () => {
        setConfirmingReset(false);
        await queryClient.invalidateQueries(trpc.sessions.ofUser.queryFilter({ id: user.id }));
        setNotice(`${user.name}'s authenticator is reset: they set up a new one at their next sign-in.`);
      },
    }),
  );

  return (
    <section aria-labelledby="account-state">
      <h3 id="account-state" ref={heading} tabIndex={-1}>
        Account
      </h3>
      {notice && <Notice>{notice}</Notice>}
      {status.data && <LastSignIn name={user.name} status={status.data} />}
      {status.isError && <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />}
      {status.data?.state === 'enabled' && (
        <form
          aria-labelledby="disable-user"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            disable.mutate({
              id: user.id,
              reason,
              ...(until ? { until: new Date(until).toISOString() } : {}),
            });
          }}
        >
          <p id="disable-user">
            {user.name} can sign in. Disabling signs them out everywhere and refuses every sign-in.
          </p>
          <Field label="Reason" hint="Shown to admins only, up to 200 characters.">
            {(control) => (
              <input {...control} maxLength={200} value={reason} onChange={(event) => setReason(event.target.value)} />
            )}
          </Field>
          <Field label="Disabled until (optional)" hint="Leave empty to keep it disabled until an admin enables it.">
            {(control) => (
              <input
                {...control}
                type="datetime-local"
                value={until}
                onChange={(event) => setUntil(event.target.value)}
              />
            )}
          </Field>
          {disable.isError && <ErrorMessage error={disable.error} />}
          <button type="submit" className="danger" disabled={disable.isPending}>
            Disable {user.name}
          </button>
        </form>
      )}
      {status.data?.state === 'disabled' && (
        <div>
          <p>
            {user.name} is <strong>disabled</strong>
            {status.data.until ? ` until ${new Date(status.data.until).toLocaleString()}` : ''}
            {status.data.reason ? `: ${status.data.reason}` : '.'}
          </p>
          {enable.isError && <ErrorMessage error={enable.error} />}
          <button
            type="button"
            className="primary"
            disabled={enable.isPending}
            onClick={() => enable.mutate({ id: user.id })}
          >
            Enable {user.name}
          </button>
        </div>
      )}
      {usesPassword(user.email.authMethod) && status.data?.state === 'enabled' && methods.data?.emailCode && (
        <div>
          {sendReset.isError && <ErrorMessage error={sendReset.error} />}
          <button type="button" disabled={sendReset.isPending} onClick={() => sendReset.mutate({ id: user.id })}>
            Email {user.name} a password reset link
          </button>
        </div>
      )}
      {user.email.authMethod === 2 && (
        <div className="authenticator-reset">
          {resetTotp.isError && <ErrorMessage error={resetTotp.error} />}
          {confirmingReset ? (
            <ConfirmQuestion
              question={`Reset ${user.name}'s authenticator? Their authenticator app and recovery codes stop working, they are signed out everywhere, and they set up a new app at their next sign-in.`}
              confirm="Reset the authenticator"
              busy={resetTotp.isPending}
              onConfirm={() => resetTotp.mutate({ id: user.id })}
              onCancel={() => setConfirmingReset(false)}
            />
          ) : (
            <button ref={resetButton} type="button" className="danger-quiet" onClick={() => setConfirmingReset(true)}>
              Reset authenticator
            </button>
          )}
        </div>
      )}
    </section>
  );
}
