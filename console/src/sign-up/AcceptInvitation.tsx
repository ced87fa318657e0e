// An invitation's link opened: the address it is for, and the account's fields; accepted, the
// person is signed in (or sets up its authenticator first), as after a password. A link that no
// longer works (expired, used, revoked or replaced by a newer one) says so, and what to do.
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { LoginResult } from '../api';
import { Notice } from '../common/Notice';
import { when } from '../SessionsTable';
import { useTRPC } from '../trpc';
import { NewAccountForm } from './NewAccountForm';

interface AcceptInvitationProps {
  token: string;
  onResult: (result: LoginResult) => void;
  onCancel: () => void;
}

export function AcceptInvitation({ token, onResult, onCancel }: AcceptInvitationProps) {
  const trpc = useTRPC();
  const lookUp = useMutation(trpc.invitations.lookUp.mutationOptions());
  const accept = useMutation(trpc.invitations.accept.mutationOptions({ onSuccess: onResult }));
  const { mutate } = lookUp;
  useEffect(() => mutate({ token }), [mutate, token]);

  if (lookUp.isError) {
    return (
      <>
        <div role="alert" className="alert">
          <p>
            This invitation link does not work any more: it may have expired, been used, or been replaced by a newer
            one. Ask whoever invited you to send it again.
          </p>
        </div>
        <div className="actions">
          <button type="button" onClick={onCancel}>
            Back to sign in
          </button>
        </div>
      </>
    );
  }
  if (!lookUp.data) return <p role="status">Opening your invitation…</p>;
  return (
    <>
      <Notice>
        You are invited to make an account with {lookUp.data.email}. Choose how you will sign in; the link works until{' '}
        {when(lookUp.data.expiresAt)}.
      </Notice>
      <NewAccountForm
        email={lookUp.data.email}
        onSubmit={({ name, age, gender, email: { authMethod, password } }) =>
          accept.mutate({ token, name, age, gender, email: { authMethod, password } })
        }
        pending={accept.isPending}
        error={accept.error}
      >
        <button type="button" onClick={onCancel}>
          Back to sign in
        </button>
      </NewAccountForm>
    </>
  );
}
