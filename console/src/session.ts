// Who is signed in: the Bearer token, kept in this tab's sessionStorage. A reload keeps the
// person signed in (and the OAuth2 round trip needs no token to survive it); closing the tab
// ends it; other tabs and later visits never see it. Not localStorage, which outlives the tab
// and is shared by every tab; not a cookie, which the browser would send by itself (CSRF).
// `notice` is what the sign-in page says about how the last session ended.
import { createContext, useContext, useSyncExternalStore } from 'react';

const TOKEN_KEY = 'users-console.token';

export interface SessionState {
  token: string | null;
  notice: string | null;
}

export class SessionStore {
  private state: SessionState;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage) {
    this.state = { token: storage.getItem(TOKEN_KEY), notice: null };
  }

  get token(): string | null {
    return this.state.token;
  }

  signIn(token: string): void {
    this.storage.setItem(TOKEN_KEY, token);
    this.set({ token, notice: null });
  }

  /** Forgets the token; `notice` is shown on the sign-in page. */
  end(notice: string | null): void {
    this.storage.removeItem(TOKEN_KEY);
    this.set({ token: null, notice });
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
