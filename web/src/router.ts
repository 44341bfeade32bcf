/** A tiny history-API router: the app has two routes, `/` and `/m/<meetingId>`. */
import { useSyncExternalStore } from 'react';

export type Route = { name: 'home' } | { name: 'meeting'; meetingId: string } | { name: 'notFound' };

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

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === currentHref()) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const match = /^\/m\/([A-Za-z0-9_-]{22,64})\/?$/.exec(pathname);
  if (match?.[1]) return { name: 'meeting', meetingId: match[1] };
  return { name: 'notFound' };
}

/** The current route and query string; re-renders on navigation. */
export function useRoute(): { route: Route; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, currentHref);
  const url = new URL(href, window.location.origin);
  return { route: parseRoute(url.pathname), search: url.searchParams };
}
