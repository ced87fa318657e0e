// The step-up as a person sees it. The service refuses a change of how they sign in (a new
// password, address or sign-in method) or the deletion of their account when their sign-in is
// older than it allows (RFC 9470: UNAUTHORIZED with `data.reauthenticate`), and so a change of
// their passkeys or a code for a new address. The console then gives
// up the token (revoked, as "Sign out" does), asks them to sign in again, saying why, and keeps
// the form with what they typed (session.ts `resume`), which comes back once they have.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { reauthenticationAsked } from './errors';
import { useSessionStore, type Resume } from './session';
import { useTRPCClient } from './trpc';

/**
 * Handles a refused save or delete: when the service asks for a more recent sign-in, starts it and
 * answers true; otherwise answers false (the caller shows the error as usual).
 */
export function useReauthenticate(): (error: unknown, resume: Resume) => boolean {
  const client = useTRPCClient();
  const store = useSessionStore();
  const queryClient = useQueryClient();
  return (error, resume) => {
    const asked = reauthenticationAsked(error);
    if (!asked) return false;
    const what = {
      delete: 'delete your account',
      save: 'save this change to how you sign in',
      passkeys: 'change your passkeys',
      address: 'change your email address',
      provider: 'link or unlink your OpenID provider',
    }[resume.action];
    const notice =
      `For your security, sign in again to ${what}: it needs a sign-in within the last ` +
      `${duration(asked.maxAgeSeconds)}. ` +
      (resume.action === 'save' ? 'What you typed will be back in the form.' : 'You will come back to your account.');
    // the old token goes whatever the service answers: the new sign-in replaces it
    void client.auth.logout
      .mutate()
      .catch(() => undefined)
      .finally(() => {
        queryClient.clear();
        store.reauthenticate(notice, resume);
      });
    return true;
  };
}

/**
 * The change to come back to on this user's form, taken once: the form keeps it from its first
 * render on, and the session forgets it.
 */
export function useResume(userId: string): Resume | null {
  const store = useSessionStore();
  const [resume] = useState(() => (store.resume?.userId === userId ? store.resume : null));
  useEffect(() => {
    if (resume) store.clearResume();
  }, [resume, store]);
  return resume;
}

/** What the person reads after signing in again, on the form they came back to. */
export function resumedNotice(resume: Resume): string {
  if (resume.action === 'delete') return 'You signed in again: you can delete your account now.';
  if (resume.action === 'passkeys') return 'You signed in again: you can change your passkeys now.';
  if (resume.action === 'address') return 'You signed in again: send the code to your new address now.';
  if (resume.action === 'provider') return 'You signed in again: you can link or unlink your OpenID provider now.';
  return resume.passwordLost
    ? 'You signed in again. What you typed is back in the form, but the new password: type it again, then save.'
    : 'You signed in again. What you typed is back in the form: save it now.';
}

function duration(seconds: number): string {
  if (seconds % 60 !== 0) return `${seconds} seconds`;
  const minutes = seconds / 60;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
