/** Where `convene audit verify` reads a log from: a server over HTTP(S), or a directory mirror. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditSource } from './audit.js';

/**
 * `https://meet.example.org` reads `https://meet.example.org/log/...`; a URL whose path already ends
 * in `/log` is used as the prefix itself.
 */
export function httpSource(url: string, doFetch: typeof fetch = fetch): AuditSource & { base: URL } {
  const u = new URL(url);
  const prefix = new URL(/\/log\/?$/.test(u.pathname) ? u.pathname.replace(/\/?$/, '/') : '/log/', u);
  return {
    name: prefix.href,
    base: new URL('/', u),
    async get(p: string) {
      const res = await doFetch(new URL(p, prefix), { signal: AbortSignal.timeout(30_000) });
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`${p}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

/** A directory holding `checkpoint`, `key`, `tile/...` (and optionally `cosigned-checkpoint`). */
export function dirSource(dir: string): AuditSource {
  const root = path.resolve(dir);
  return {
    name: root,
    async get(p: string) {
      const file = path.resolve(root, p);
      if (!file.startsWith(root + path.sep)) throw new Error(`${p} is outside ${root}`);
      try {
        return new Uint8Array(await readFile(file));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}
