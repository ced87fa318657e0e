// Inviting someone: the address, how many days the link works, and the app metadata the account
// starts with (JSON, checked to be an object before it is sent). The service judges them; its
// message appears next to the field it is about, and the form keeps what was typed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Invitation } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { fieldProblems } from '../errors';
import { parseJsonObject } from '../common/json-object';
import { useTRPC } from '../trpc';

const FIELDS = ['email', 'validDays', 'metadata.app'] as const;

export function InviteForm({ onInvited }: { onInvited: (invitation: Invitation) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [validDays, setValidDays] = useState('7');
  const [app, setApp] = useState('');
  const [appProblem, setAppProblem] = useState<string | undefined>();
  const invite = useMutation(
    trpc.invitations.create.mutationOptions({
      onSuccess: async (invitation) => {
        setEmail('');
        setApp('');
        await queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey() });
        onInvited(invitation);
      },
    }),
  );
  const { fields, rest } = fieldProblems(invite.error, FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = parseJsonObject(app);
    setAppProblem('problem' in typed ? typed.problem : undefined);
    if ('problem' in typed) return;
    const metadata = Object.keys(typed.value).length > 0 ? { metadata: { app: typed.value } } : {};
    invite.mutate({ email: email.trim(), validDays: Number(validDays), ...metadata });
  };
  return (
    <form onSubmit={submit} aria-labelledby="invite" noValidate>
      <h3 id="invite">Invite someone</h3>
      <Field label="Email" hint="A link to make an account is mailed to this address." error={fields.email}>
        {(control) => (
          <input
            {...control}
            type="email"
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      <Field label="Link works for (days)" hint="1 to 30 days." error={fields.validDays}>
        {(control) => (
          <input
            {...control}
            inputMode="numeric"
            value={validDays}
            onChange={(event) => setValidDays(event.target.value)}
          />
        )}
      </Field>
      <Field
        label="App metadata (optional)"
        hint='JSON the account starts with, which the user can read: {"plan": "pro", "team": "blue"}.'
        error={appProblem ?? fields['metadata.app']}
      >
        {(control) => (
          <textarea
            {...control}
            className="json"
            rows={3}
            spellCheck={false}
            value={app}
            onChange={(event) => setApp(event.target.value)}
          />
        )}
      </Field>
      {invite.isError && Object.keys(fields).length === 0 && <ErrorMessage error={invite.error} />}
      {rest.length > 0 && Object.keys(fields).length > 0 && (
        <div role="alert" className="alert">
          <p>Also: {rest.join('; ')}.</p>
        </div>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={invite.isPending}>
          Send the invitation
        </button>
      </div>
    </form>
  );
}
