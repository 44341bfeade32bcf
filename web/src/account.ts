/** Who is signed in, as a small external store shared by every page (loaded once at start). */
import { useSyncExternalStore } from 'react';
import type { Account } from '../../src/client/api.js';
import { api } from './api.js';

export type AccountState =
  | { status: 'loading'; account: null }
  | { status: 'signedOut'; account: null }
  | { status: 'signedIn'; account: Account };

let state: AccountState = { status: 'loading', account: null };
const listeners = new Set<() => void>();
let loading: Promise<void> | null = null;

function set(next: AccountState): void {
  state = next;
  for (const listener of listeners) listener();
}

function signedIn(account: Account | null): AccountState {
  return account ? { status: 'signedIn', account } : { status: 'signedOut', account: null };
}

/** Asks the server who is signed in (once; later calls wait for the same answer). */
export function loadAccount(): Promise<void> {
  loading ??= api.getSession().then(
    (account) => set(signedIn(account)),
    () => set({ status: 'signedOut', account: null }),
  );
  return loading;
}

export async function signIn(email: string, password: string): Promise<void> {
  set(signedIn(await api.signIn({ email, password })));
}

export async function signUp(email: string, password: string, displayName: string): Promise<void> {
  set(signedIn(await api.signUp({ email, password, displayName })));
}

export async function signOut(): Promise<void> {
  await api.signOut();
  set({ status: 'signedOut', account: null });
}

export function useAccount(): AccountState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
