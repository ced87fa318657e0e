// Editing one user: the form as the service last saved it, saved with users.update and the version
// the form was read at (users.get), so a save never silently replaces someone else's change: when
// the service refuses it as stale, the form reads the user again and shows what changed
// (./EditConflict.tsx), keeping what was typed, until the person chooses. When people change how
// they themselves sign in (password, method), the service ends their token (the service
// keeps the session it was made from; the console ends it too, renewal.ts): the console says so and
// goes back to the sign-in page. When the service asks for a more recent sign-in first (step-up),
// the console asks for it and comes back here with what was typed. Their own address is not typed
// here: it moves with a code mailed to the new one (./YourEmailAddress).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { User, UserVersion, VersionedUser } from '../api';
import { Notice } from '../common/Notice';
import { isNotFound, isStale } from '../errors';
import { useReauthenticate } from '../reauthenticate';
import { endCookieSession } from '../renewal';
import { useSessionStore } from '../session';
import { useTRPC } from '../trpc';
import { EditConflict } from './EditConflict';
import { changedFields, editedFields, withValuesOf } from './user-changes';
import { formValuesOf, UserForm, userInputOf, type UserFormValues } from './UserForm';

interface EditUserFormProps {
  user: User;
  /** The version `user` was read at: the save sends it back. */
  version: UserVersion;
  /** The signed-in person's own profile. */
  isSelf: boolean;
  /** What was typed before signing in again, in place of the saved values. */
  typed?: UserFormValues;
  children?: ReactNode;
}

/** After a stale save: the user read again (being read, as the service has it now, or gone). */
type Conflict = { reading: true } | { saved: VersionedUser } | { deleted: true };

export function EditUserForm({ user, version, isSelf, typed, children }: EditUserFormProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSessionStore();
  const reauthenticate = useReauthenticate();
  // what the form was read at: taken from the page once, then only from this form's own saves and
  // choices (a fresh read of the page must not move it, or a save would replace a change unseen)
  const [base, setBase] = useState<VersionedUser>({ user, version });
  const [values, setValues] = useState(() => typed ?? formValuesOf(user));
  const [saved, setSaved] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const readAgain = () => queryClient.fetchQuery({ ...trpc.users.get.queryOptions({ id: user.id }), staleTime: 0 });
  const showConflict = async () => {
    setConflict({ reading: true });
    // the other change is in the user's history too
    void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: user.id }));
    try {
      setConflict({ saved: await readAgain() });
    } catch (error) {
      // could not read it again: the service's refusal stays, as it said it
      setConflict(isNotFound(error) ? { deleted: true } : null);
    }
  };
  // after a choice, the focus goes from the choice (gone) to "Save changes"
  const submit = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (conflict === null && refocus.current) {
      refocus.current = false;
      submit.current?.focus();
    }
  }, [conflict]);
  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: async (updated, input) => {
        const before = base.user;
        const changedSignIn =
          input.email.password !== undefined ||
          input.email.authMethod !== before.email.authMethod ||
          input.email.email.toLowerCase() !== before.email.email.toLowerCase();
        if (isSelf && changedSignIn) {
          void endCookieSession();
          session.end('You changed how you sign in, so your session ended: sign in again with the new details.');
          return;
        }
        void queryClient.invalidateQueries(trpc.users.search.queryFilter());
        // the change is in the history now
        void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: updated.id }));
        // the version of this save (the answer has none): a read that shows exactly what was saved is
        // at it; one that shows more came after another change, and keeps the old version, so the
        // next save is refused and shows that change. The form stays busy until it is known.
        const after = await readAgain().catch(() => null);
        const same =
          after !== null &&
          after.user.updatedAt === updated.updatedAt &&
          changedFields(updated, after.user).length === 0;
        setBase(same ? after : { user: updated, version: base.version });
        setValues(formValuesOf(updated));
        setSaved('Saved.');
      },
      onError: (error) => {
        if (reauthenticate(error, { userId: user.id, action: 'save', values, opened: base })) return;
        if (isStale(error)) void showConflict();
        // deleted meanwhile: said as such, and the form stays as typed, with nothing left to save to
        else if (isNotFound(error)) setConflict({ deleted: true });
      },
    }),
  );
  const resolve = (next: VersionedUser, message: string, nextValues = values) => {
    setBase(next);
    setValues(nextValues);
    setConflict(null);
    setSaved(message);
    update.reset();
    refocus.current = true;
  };

  return (
    <>
      {conflict && 'deleted' in conflict && (
        <div role="alert" className="alert">
          <p>Not saved: {base.user.name} was deleted by someone else.</p>
        </div>
      )}
      {conflict && 'saved' in conflict && (
        <EditConflict
          opened={base.user}
          saved={conflict.saved.user}
          typed={values}
          onUseTheirs={() =>
            resolve(
              conflict.saved,
              'Their values are in the form: check it, then save.',
              withValuesOf(values, conflict.saved.user, changedFields(base.user, conflict.saved.user)),
            )
          }
          onKeepMine={() => {
            // what the person changed stays; what only they changed comes in, so no change of theirs
            // is undone by a field the person never touched
            const mine = editedFields(base.user, values);
            const theirsOnly = changedFields(base.user, conflict.saved.user).filter((field) => !mine.includes(field));
            resolve(
              conflict.saved,
              theirsOnly.length > 0
                ? 'Your changes are kept, with their changes to the fields you did not touch: check the form, then save.'
                : 'Your changes are kept: saving replaces theirs.',
              withValuesOf(values, conflict.saved.user, theirsOnly),
            );
          }}
        />
      )}
      <UserForm
        label={`Edit ${base.user.name}`}
        values={values}
        onChange={(next) => {
          setSaved(null);
          setValues(next);
        }}
        onSubmit={() => update.mutate({ id: user.id, ...userInputOf(values), expectedVersion: base.version })}
        submitLabel="Save changes"
        submitRef={submit}
        // the person chooses what to keep before saving again
        pending={update.isPending || conflict !== null}
        error={conflict ? null : update.error}
        passwordHint="Leave empty to keep the current password."
        // a person's own address moves only with a code mailed to the new one (./YourEmailAddress)
        emailReadOnly={isSelf}
        emailHint={
          isSelf ? 'To change it, use “Change your email address” below: a code goes to the new address.' : undefined
        }
      >
        {children}
        {saved && <Notice>{saved}</Notice>}
      </UserForm>
    </>
  );
}
