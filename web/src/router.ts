/**
 * A tiny history-API router. Routes: `/` home, `/signin`, `/signup`, `/meetings` (my meetings),
 * `/meetings/new`, `/meetings/<id>/edit`, `/m/<meetingId>` a meeting; the operator console
 * `/operator/...`; public notices `/transparency` and `/transparency/cases/<ref>`.
 */
import { useSyncExternalStore, type MouseEvent } from 'react';

const ID = '([A-Za-z0-9_-]{22,64})';

export type Route =
  | { name: 'home' }
  | { name: 'signin' }
  | { name: 'signup' }
  | { name: 'meetings' }
  | { name: 'newMeeting' }
  | { name: 'editMeeting'; meetingId: string }
  | { name: 'meeting'; meetingId: string }
  | { name: 'operator'; page: OperatorPage }
  | { name: 'transparency' }
  | { name: 'publicCase'; ref: string }
  | { name: 'notFound' };

/** Pages of the operator console (`/operator/...`). */
export type OperatorPage =
  | { kind: 'cases' }
  | { kind: 'newCase' }
  | { kind: 'case'; ref: string }
  | { kind: 'appeals' }
  | { kind: 'operators' }
  | { kind: 'enrol' };

const REF = '([A-Za-z0-9-]{1,40})';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function currentHref(): string {
  return window.location.pathname + window.location.search;
}

/** Goes to `path` (which may carry a `#fragment`, e.g. a meeting passcode). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === currentHref() + window.location.hash) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

export function parseRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname;
  if (path === '/' || path === '') return { name: 'home' };
  if (path === '/signin') return { name: 'signin' };
  if (path === '/signup') return { name: 'signup' };
  if (path === '/meetings') return { name: 'meetings' };
  if (path === '/meetings/new') return { name: 'newMeeting' };
  const edit = new RegExp(`^/meetings/${ID}/edit$`).exec(path);
  if (edit?.[1]) return { name: 'editMeeting', meetingId: edit[1] };
  const meeting = new RegExp(`^/m/${ID}$`).exec(path);
  if (meeting?.[1]) return { name: 'meeting', meetingId: meeting[1] };
  if (path === '/transparency') return { name: 'transparency' };
  const publicCase = new RegExp(`^/transparency/cases/${REF}$`).exec(path);
  if (publicCase?.[1]) return { name: 'publicCase', ref: publicCase[1] };
  return parseOperatorRoute(path);
}

function parseOperatorRoute(path: string): Route {
  const page = (p: OperatorPage): Route => ({ name: 'operator', page: p });
  if (path === '/operator' || path === '/operator/cases') return page({ kind: 'cases' });
  if (path === '/operator/cases/new') return page({ kind: 'newCase' });
  if (path === '/operator/appeals') return page({ kind: 'appeals' });
  if (path === '/operator/operators') return page({ kind: 'operators' });
  if (path === '/operator/enrol') return page({ kind: 'enrol' });
  const caseRef = new RegExp(`^/operator/cases/${REF}$`).exec(path);
  if (caseRef?.[1]) return page({ kind: 'case', ref: caseRef[1] });
  return { name: 'notFound' };
}

/** The current route and query string; re-renders on navigation. */
export function useRoute(): { route: Route; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, currentHref);
  const url = new URL(href, window.location.origin);
  return { route: parseRoute(url.pathname), search: url.searchParams };
}

/** An in-app link: a real `<a href>` (open in new tab works) that navigates without a reload. */
export function linkProps(path: string): { href: string; onClick: (event: MouseEvent) => void } {
  return {
    href: path,
    onClick: (event) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(path);
    },
  };
}
