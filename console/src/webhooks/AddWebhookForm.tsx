// Registering an endpoint: its URL and the event types it receives. The service judges both; its
// message appears next to the field, and the form keeps what was typed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { WebhookCreated } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { describeError } from '../errors';
import { eventTypesOf } from '../events/event-types';
import { useTRPC } from '../trpc';

export function AddWebhookForm({ onCreated }: { onCreated: (created: WebhookCreated) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('*');
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: async (created) => {
        setUrl('');
        await queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() });
        onCreated(created);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      url: url.trim(),
      types: eventTypesOf(types),
    });
  };
  const message = create.isError ? describeError(create.error) : undefined;
  const urlError = message && /\burl\b/i.test(message) ? message : undefined;
  const typesError = message && !urlError && /type/i.test(message) ? message : undefined;
  return (
    <form className="add-webhook" onSubmit={submit} aria-labelledby="add-webhook">
      <h3 id="add-webhook">Add an endpoint</h3>
      <Field label="URL" hint="https://, reachable from the service" error={urlError}>
        {(control) => (
          <input {...control} type="url" required value={url} onChange={(event) => setUrl(event.target.value)} />
        )}
      </Field>
      <Field
        label="Event types"
        hint="Separated by commas, e.g. user.created, user.deleted; * for all"
        error={typesError}
      >
        {(control) => (
          <input {...control} type="text" required value={types} onChange={(event) => setTypes(event.target.value)} />
        )}
      </Field>
      {create.isError && !urlError && !typesError && <ErrorMessage error={create.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          Add endpoint
        </button>
      </div>
    </form>
  );
}
