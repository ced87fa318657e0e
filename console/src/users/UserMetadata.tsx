// A user's metadata (router/metadata): what the product keeps about the user beside its fields, as
// JSON, one box per part the person may see. An admin sees and edits all three parts; a user sees
// the `app` part (set by admins) and edits its own `user` part; the `admin` part never reaches it.
// "Save metadata" replaces the parts that were edited, at the version the boxes were filled from:
// a box that is not a JSON object is named before anything is sent, the service's refusals (a part
// too large, a bad key) stand beside their box, and if someone saved in between nothing is
// replaced: the person is told, keeps what they typed, and chooses to load the saved metadata.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { UserMetadata as Metadata } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Field } from '../common/Field';
import { Notice } from '../common/Notice';
import { fieldProblems, isStale } from '../errors';
import { useTRPC } from '../trpc';

type Part = 'app' | 'user' | 'admin';
import { parseJsonObject, type JsonObject } from '../common/json-object';

const PARTS: ReadonlyArray<{ part: Part; label: string; hint: string }> = [
  { part: 'app', label: 'App metadata', hint: 'Set by admins; the user can read it (a plan, what they may use).' },
  {
    part: 'user',
    label: 'User metadata',
    hint: 'The user can change it too (their preferences): never trust it for a decision.',
  },
  { part: 'admin', label: 'Admin metadata', hint: 'Seen by admins only (a CRM id, a note).' },
];

const pretty = (value: JsonObject | undefined) => JSON.stringify(value ?? {}, null, 2);

export function UserMetadata({ id }: { id: string }) {
  const trpc = useTRPC();
  const read = useQuery(trpc.metadata.read.queryOptions({ id }));
  // here, not in the form: a save makes the form again, and what it says must outlive that
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section aria-labelledby="metadata">
      <h3 id="metadata">Metadata</h3>
      {read.isPending && <p role="status">Loading…</p>}
      {read.isError && <ErrorMessage error={read.error} onRetry={() => void read.refetch()} />}
      {/* filled again from what is saved whenever its version changes */}
      {notice && <Notice>{notice}</Notice>}
      {read.data && <MetadataForm key={read.data.version} id={id} metadata={read.data} onNotice={setNotice} />}
    </section>
  );
}

interface MetadataFormProps {
  id: string;
  metadata: Metadata;
  onNotice: (notice: string | null) => void;
}

function MetadataForm({ id, metadata, onNotice: setNotice }: MetadataFormProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // the admin part comes to admins alone, and admins edit every part; a user, its own part only
  const isAdmin = metadata.admin !== undefined;
  const editable = (part: Part) => isAdmin || part === 'user';
  const shown = PARTS.filter(({ part }) => metadata[part] !== undefined);
  const [texts, setTexts] = useState<Record<Part, string>>({
    app: pretty(metadata.app),
    user: pretty(metadata.user),
    admin: pretty(metadata.admin),
  });
  const [typingErrors, setTypingErrors] = useState<Partial<Record<Part, string>>>({});
  const save = useMutation(
    trpc.metadata.replace.mutationOptions({
      onSuccess: async (saved) => {
        // the form is made again from the new version (its key); the history shows the change
        queryClient.setQueryData(trpc.metadata.read.queryKey({ id }), saved);
        await queryClient.invalidateQueries(trpc.events.user.queryFilter());
        setNotice('Metadata saved.');
      },
    }),
  );
  const refusals = fieldProblems(save.error, ['app', 'user', 'admin']);
  const stale = save.isError && isStale(save.error);

  const submit = () => {
    setNotice(null);
    const parsed: Partial<Record<Part, JsonObject>> = {};
    const problems: Partial<Record<Part, string>> = {};
    for (const { part } of shown.filter(({ part }) => editable(part))) {
      if (texts[part] === pretty(metadata[part])) continue;
      const typed = parseJsonObject(texts[part]);
      if ('problem' in typed) problems[part] = typed.problem;
      else parsed[part] = typed.value;
    }
    setTypingErrors(problems);
    if (Object.keys(problems).length > 0) return;
    if (Object.keys(parsed).length === 0) {
      setNotice('Nothing to save: no metadata was changed.');
      return;
    }
    save.mutate({ id, expectedVersion: metadata.version, ...parsed });
  };

  return (
    <form
      aria-labelledby="metadata"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {shown.map(({ part, label, hint }) => (
        <Field key={part} label={label} hint={hint} error={typingErrors[part] ?? refusals.fields[part]}>
          {(control) => (
            <textarea
              {...control}
              className="json"
              rows={Math.min(12, Math.max(3, texts[part].split('\n').length))}
              spellCheck={false}
              // what the person may not change is shown, and read, as it is
              readOnly={!editable(part)}
              value={texts[part]}
              onChange={(event) => setTexts({ ...texts, [part]: event.target.value })}
            />
          )}
        </Field>
      ))}
      {stale ? (
        <div className="conflict" role="alert">
          <p>Not saved: this metadata was changed by someone else since you opened it. What you typed is still here.</p>
          <button
            type="button"
            onClick={() => void queryClient.invalidateQueries(trpc.metadata.read.queryFilter({ id }))}
          >
            Load the saved metadata (drops what you typed)
          </button>
        </div>
      ) : (
        save.isError && refusals.rest.length > 0 && <ErrorMessage error={save.error} />
      )}
      <button type="submit" className="primary" disabled={save.isPending}>
        Save metadata
      </button>
    </form>
  );
}
