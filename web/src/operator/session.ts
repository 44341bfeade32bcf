/** The signed-in operator, as a small external store shared by the console's pages. */
import { useSyncExternalStore } from 'react';
import { operatorApi, type Operator } from '../cases.js';

export type OperatorState =
  | { status: 'loading'; operator: null }
  | { status: 'signedOut'; operator: null }
  | { status: 'signedIn'; operator: Operator };

let state: OperatorState = { status: 'loading', operator: null };
const listeners = new Set<() => void>();
let loading: Promise<void> | null = null;

function set(next: OperatorState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** Asks the server who is signed in to the console (once, until sign-in or sign-out). */
export function loadOperator(): Promise<void> {
  loading ??= operatorApi.session().then(
    (operator) => set(operator ? { status: 'signedIn', operator } : { status: 'signedOut', operator: null }),
    () => set({ status: 'signedOut', operator: null }),
  );
  return loading;
}

export async function operatorSignIn(email: string, password: string, code: string): Promise<void> {
  const operator = await operatorApi.signIn({ email, password, code });
  set({ status: 'signedIn', operator });
}

export async function operatorSignOut(): Promise<void> {
  try {
    await operatorApi.signOut();
  } finally {
    loading = null;
    set({ status: 'signedOut', operator: null });
  }
}

/** The session ended on the server (expired, disabled): back to the sign-in page. */
export function operatorSessionLost(): void {
  loading = null;
  set({ status: 'signedOut', operator: null });
}

export function useOperator(): OperatorState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
