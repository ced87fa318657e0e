// Registering an API client: its name, and what its tokens may do (everything an admin may, or
// read only; fixed once registered). The service judges it; its message appears next to the field,
// and the form keeps what was typed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ApiClientCreated } from '../api';
import { Field } from '../common/Field';
import { describeError } from '../errors';
import { useTRPC } from '../trpc';

export function AddClientForm({ onCreated }: { onCreated: (created: ApiClientCreated) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [access, setAccess] = useState<ApiClientCreated['access']>('admin');
  const create = useMutation(
    trpc.clients.create.mutationOptions({
      onSuccess: async (created) => {
        setName('');
        setAccess('admin');
        await queryClient.invalidateQueries({ queryKey: trpc.clients.list.queryKey() });
        onCreated(created);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, access });
  };
  return (
    <form onSubmit={submit} aria-labelledby="add-client">
      <h3 id="add-client">Register a client</h3>
      <Field
        label="Name"
        hint="What it is, for people: CRM sync, billing backend. Up to 100 characters."
        error={create.isError ? describeError(create.error) : undefined}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      <Field label="Access" hint="What its tokens may do. It cannot be changed later: register another client instead.">
        {(control) => (
          <select
            {...control}
            value={access}
            onChange={(event) => setAccess(event.target.value as ApiClientCreated['access'])}
          >
            <option value="admin">Everything an admin may</option>
            <option value="read">Read only (users, events, sessions; no change)</option>
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          Register client
        </button>
      </div>
    </form>
  );
}
