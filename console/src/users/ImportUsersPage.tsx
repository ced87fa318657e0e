// "Import users" (admins): a JSON file of users from another system, each with the password hash it
// had there, sent to users.import a batch at a time (the service takes 100 a call, each batch whole
// or not at all). The batches go one after another; the first one refused stops the import, and
// the page says how many were imported, which user the service refused and why (counted in the
// file, from 1), and that nothing from that batch on was; the next import starts at that batch.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { UserImport } from '../api';
import { describeError } from '../errors';
import { Field } from '../common/Field';
import { Notice } from '../common/Notice';
import { PageHeading } from '../common/PageHeading';
import { useTRPC, useTRPCClient } from '../trpc';

/** How many users the service takes a call (users.import). */
const BATCH = 100;

interface Progress {
  imported: number;
  total: number;
}

/** Why an import stopped: where, and the service's words with the file's positions in them. */
class BatchRefused extends Error {
  constructor(
    readonly imported: number,
    readonly total: number,
    readonly from: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The users of a file: a JSON array of them, or `{"users": [...]}` as the API takes it. */
function usersOf(text: string): UserImport[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('The file is not JSON.');
  }
  const users = Array.isArray(parsed) ? parsed : (parsed as { users?: unknown } | null)?.users;
  if (!Array.isArray(users) || users.length === 0) {
    throw new Error('The file holds no users: it should be a JSON array of users, or {"users": [...]}.');
  }
  return users as UserImport[];
}

/** The service's message of a batch that starts at `offset`, its `users.N` counted in the file from 1. */
function inFilePositions(message: string, offset: number): string {
  // `users.3.email.email: …` is about a field of user 4, `users.3: …` about user 4 as a whole
  return message.replace(
    /\b[Uu]sers\.(\d+)(\.?)/g,
    (_, index: string, field: string) => `user ${offset + Number(index) + 1}${field ? ': ' : ''}`,
  );
}

export function ImportUsersPage({ onBack }: { onBack: () => void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  // where in the file to start: 1, or, after a refused batch, that batch's first user
  const [start, setStart] = useState('1');
  const [progress, setProgress] = useState<Progress | null>(null);
  const run = useMutation({
    mutationFn: async ({ chosen, from }: { chosen: File; from: number }): Promise<Progress> => {
      const users = usersOf(await chosen.text());
      if (!Number.isInteger(from) || from < 1 || from > users.length) {
        throw new Error(`Start at a user from 1 to ${users.length}: the file holds ${users.length}.`);
      }
      const first = from - 1;
      for (let offset = first; offset < users.length; offset += BATCH) {
        setProgress({ imported: offset - first, total: users.length - first });
        try {
          await client.users.import.mutate({ users: users.slice(offset, offset + BATCH) });
        } catch (error) {
          setStart(String(offset + 1));
          throw new BatchRefused(
            offset - first,
            users.length - first,
            offset + 1,
            inFilePositions(describeError(error), offset),
          );
        }
      }
      return { imported: users.length - first, total: users.length - first };
    },
    onSettled: () => queryClient.invalidateQueries(trpc.users.search.queryFilter()),
  });
  const stopped = run.error instanceof BatchRefused ? run.error : null;

  return (
    <main className="page">
      <PageHeading>Import users</PageHeading>
      <p>
        Users from another system, with the password each had there: a JSON file of users as the service takes them
        (name, age, gender, and an email with its address, sign-in method and, for methods 0 and 2, the password&apos;s
        bcrypt or Argon2 hash). Each user signs in with its old password; the first sign-in replaces the hash with one
        of this service.
      </p>
      <form
        aria-label="Import users"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (file) run.mutate({ chosen: file, from: Number(start) });
        }}
      >
        <Field
          label="File of users (JSON)"
          hint={`An array of users, or {"users": [...]}. Sent ${BATCH} at a time; each batch is imported whole or not at all.`}
          error={run.error && !stopped ? run.error.message : undefined}
        >
          {(control) => (
            <input
              {...control}
              type="file"
              accept="application/json,.json"
              onChange={(event) => {
                // the place to start stays: after a refused batch, the fixed file goes on from there
                setFile(event.target.files?.[0] ?? null);
                setProgress(null);
                run.reset();
              }}
            />
          )}
        </Field>
        <Field
          label="Start at user"
          hint="Its place in the file, from 1: after a refused batch, that batch's first user."
        >
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={1}
              value={start}
              onChange={(event) => setStart(event.target.value)}
            />
          )}
        </Field>
        {run.isPending && progress && (
          <p role="status">
            Importing… {progress.imported} of {progress.total} users so far.
          </p>
        )}
        {run.isSuccess && <Notice>Imported {run.data.imported} users.</Notice>}
        {stopped && (
          <div role="alert" className="alert">
            <p>
              Imported {stopped.imported} of {stopped.total} users. The service refused the batch from user{' '}
              {stopped.from}, so nothing from user {stopped.from} on was imported: {stopped.reason}
            </p>
            <p>Fix the file, choose it again, and import from user {stopped.from} (filled in above).</p>
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={!file || run.isPending}>
            Import
          </button>
          <button type="button" onClick={onBack}>
            Back to users
          </button>
        </div>
      </form>
    </main>
  );
}
