// Who is signed in: the Bearer token, kept in this tab's sessionStorage. A reload keeps the
// person signed in (and the OAuth2 round trip needs no token to survive it); other tabs and later
// visits never see it. Not localStorage, which outlives the tab and is shared by every tab; not a
// cookie, which the browser would send by itself (CSRF). What keeps a person signed in for the
// session's life is the refresh cookie (renewal.ts), which no script reads; `resumable` (in
// localStorage, not a secret) only says whether this browser has one worth trying on load.
// `notice` is what the sign-in page says about how the last session ended. `resume` is where to
// come back to when the service asked the person to sign in again before a change of how they
// sign in (the step-up, see reauthenticate.ts): the form and what was typed in it.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { UserFormValues } from './users/UserForm';
import type { VersionedUser } from './api';

const TOKEN_KEY = 'users-console.token';
const RESUME_KEY = 'users-console.resume';
const RESUMABLE_KEY = 'users-console.resumable';

/** A change the service refused until the person signs in again, to come back to afterwards. */
export interface Resume {
  /** Whose form it was: only that user's next session comes back to it. */
  userId: string;
  /**
   * What was refused: the form's save, the account's deletion, a change of its passkeys, or a code
   * asked for a new address.
   */
  action: 'save' | 'delete' | 'passkeys' | 'address' | 'provider';
  /** The name typed for a passkey being added. */
  passkeyName?: string;
  /** The new address typed. */
  address?: string;
  /** What the form held. */
  values?: UserFormValues;
  /**
   * The user as the form had opened it, with its version: the save after signing in again is
   * checked against that, so a change someone made meanwhile is shown, not overwritten.
   */
  opened?: VersionedUser;
  /**
   * A password was typed but is not in `values`: a typed password is kept in this page's memory
   * only, never in storage, so a reload (a provider's sign-in is one) loses it.
   */
  passwordLost?: boolean;
}

export interface SessionState {
  token: string | null;
  /** The session is being taken up again from the refresh cookie (on load). */
  resuming: boolean;
  notice: string | null;
  resume: Resume | null;
}

export class SessionStore {
  private state: SessionState;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: Storage,
    private readonly shared: Storage | null = null,
  ) {
    const token = storage.getItem(TOKEN_KEY);
    const resuming = token === null && shared?.getItem(RESUMABLE_KEY) === '1';
    this.state = { token, resuming, notice: null, resume: readResume(storage) };
  }

  get token(): string | null {
    return this.state.token;
  }

  signIn(token: string): void {
    this.storage.setItem(TOKEN_KEY, token);
    this.shared?.setItem(RESUMABLE_KEY, '1');
    this.set({ ...this.state, token, resuming: false, notice: null });
  }

  /** The session's next access token (a renewal). */
  renew(token: string): void {
    this.storage.setItem(TOKEN_KEY, token);
    this.set({ ...this.state, token, resuming: false });
  }

  /**
   * Another session's token takes this tab: an impersonation's as an admin begins acting as a user
   * (the admin's session stays in its refresh cookie), or the admin's own again when acting ends,
   * with what to say of how it ended (./acting.ts).
   */
  switchTo(token: string, notice: string | null): void {
    this.storage.setItem(TOKEN_KEY, token);
    this.set({ ...this.state, token, notice });
  }

  /** Something to tell the signed-in person (how linking the provider went), until it is read. */
  tell(notice: string): void {
    this.set({ ...this.state, notice });
  }

  /** The notice has been read (a signed-in screen's "Dismiss"). */
  dismissNotice(): void {
    if (this.state.notice !== null) this.set({ ...this.state, notice: null });
  }

  /** Taking the session up again on load found none to take up. */
  notResumed(): void {
    this.shared?.removeItem(RESUMABLE_KEY);
    this.set({ ...this.state, resuming: false });
  }

  /** Forgets the token; `notice` is shown on the sign-in page. */
  end(notice: string | null): void {
    this.storage.removeItem(TOKEN_KEY);
    this.storage.removeItem(RESUME_KEY);
    this.shared?.removeItem(RESUMABLE_KEY);
    this.set({ token: null, resuming: false, notice, resume: null });
  }

  /** Forgets the token to sign in again, and keeps where to come back to afterwards. */
  reauthenticate(notice: string, resume: Resume): void {
    this.storage.removeItem(TOKEN_KEY);
    // a new sign-in is asked for: not the old session taken up on a reload
    this.shared?.removeItem(RESUMABLE_KEY);
    const { values } = resume;
    const stored: Resume = values
      ? { ...resume, values: { ...values, password: '' }, passwordLost: values.password !== '' }
      : resume;
    this.storage.setItem(RESUME_KEY, JSON.stringify(stored));
    this.set({ token: null, resuming: false, notice, resume });
  }

  /** Done with the change to come back to (taken by its form, or not this user's). */
  clearResume(): void {
    if (this.state.resume === null) return;
    this.storage.removeItem(RESUME_KEY);
    this.set({ ...this.state, resume: null });
  }

  get resume(): Resume | null {
    return this.state.resume;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): SessionState => this.state;

  private set(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

function readResume(storage: Storage): Resume | null {
  try {
    const resume = JSON.parse(storage.getItem(RESUME_KEY) ?? 'null') as Resume | null;
    return resume && typeof resume.userId === 'string' ? resume : null;
  } catch {
    return null;
  }
}

export function useSessionState(store: SessionStore): SessionState {
  return useSyncExternalStore(store.subscribe, store.snapshot);
}

const SessionContext = createContext<SessionStore | null>(null);
export const SessionProvider = SessionContext.Provider;

/** The session store of the console (see App). */
export function useSessionStore(): SessionStore {
  const store = useContext(SessionContext);
  if (!store) throw new Error('useSessionStore needs a <SessionProvider>');
  return store;
}

/** The signed-in state, redrawn when it changes. */
export function useSession(): SessionState {
  return useSessionState(useSessionStore());
}
