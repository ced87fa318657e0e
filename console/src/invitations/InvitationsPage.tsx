// An admin's invitations: invite an address (a link to make an account is mailed to it), and for
// each invitation not yet accepted, who sent it, when, until when its link works (or that it
// expired), "Send again" (a new link; the old one stops working) and "Revoke" after a confirmation.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Invitation } from '../api';
import { ConfirmQuestion } from '../common/ConfirmQuestion';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { PageHeading } from '../common/PageHeading';
import { when } from '../SessionsTable';
import { useTRPC } from '../trpc';
import { InviteForm } from './InviteForm';

export function InvitationsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.invitations.list.queryOptions({}));
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <main className="page">
      <PageHeading>Invitations</PageHeading>
      <p>
        Invite someone to make an account: they get a link by email, choose how they sign in, and are signed in. An
        invited account is a user&apos;s, whether or not the service lets people sign up on their own.
      </p>
      {notice && <Notice>{notice}</Notice>}
      <InviteForm onInvited={(invitation) => setNotice(`An invitation is on its way to ${invitation.email}.`)} />
      {list.isError && <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && <p role="status">Loading invitations…</p>}
      {list.data?.items.length === 0 && <p>No invitations waiting.</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="users invitations">
          <caption className="visually-hidden">Invitations not yet accepted</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Invited</th>
              <th scope="col">Link works until</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((invitation) => (
              <InvitationRow key={invitation.id} invitation={invitation} onDone={setNotice} />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function InvitationRow({ invitation, onDone }: { invitation: Invitation; onDone: (notice: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey() });
  const resend = useMutation(
    trpc.invitations.resend.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onDone(`A new link is on its way to ${invitation.email}; the one before stopped working.`);
      },
    }),
  );
  const revoke = useMutation(
    trpc.invitations.revoke.mutationOptions({
      onSuccess: async () => {
        setRevoking(false);
        await refresh();
        onDone(`The invitation of ${invitation.email} is revoked: its link stopped working.`);
      },
    }),
  );
  const failed = resend.error ?? revoke.error;
  return (
    <tr>
      <th scope="row">{invitation.email}</th>
      <td>
        {when(invitation.createdAt)} by {invitation.invitedBy}
      </td>
      <td>{invitation.expired ? <strong>Expired</strong> : when(invitation.expiresAt)}</td>
      <td>
        {failed && <ErrorMessage error={failed} />}
        {revoking ? (
          <ConfirmQuestion
            question={`Revoke the invitation of ${invitation.email}? Its link stops working at once.`}
            confirm={`Revoke the invitation of ${invitation.email}`}
            busy={revoke.isPending}
            onConfirm={() => revoke.mutate({ id: invitation.id })}
            onCancel={() => setRevoking(false)}
          />
        ) : (
          <div className="actions">
            <button type="button" disabled={resend.isPending} onClick={() => resend.mutate({ id: invitation.id })}>
              Send again to {invitation.email}
            </button>
            <button type="button" className="danger-quiet" onClick={() => setRevoking(true)}>
              Revoke {invitation.email}
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}
