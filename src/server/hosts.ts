/**
 * The Host allowlist, against DNS rebinding: a page on another site can point its own name at this
 * server's address, and the browser then sends that name as `Host` (and as the page's Origin). Only
 * names this server is meant to be reached by are served: the public URL's host, `localhost`, the
 * loopback addresses and the bind address (every local interface address when bound to all of them).
 */
import os from 'node:os';

/** The host name of a Host header, lower-cased, without port or IPv6 brackets; undefined if malformed. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(h);
  if (bracketed) return bracketed[1];
  const plain = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(h);
  return plain?.[1];
}

export function allowedHosts(options: { publicUrl: string | undefined; bindHost: string }): Set<string> {
  const hosts = new Set(['localhost', '127.0.0.1', '::1']);
  if (options.publicUrl) {
    const name = hostName(new URL(options.publicUrl).host);
    if (name) hosts.add(name);
  }
  const bind = options.bindHost.toLowerCase().replace(/^\[|\]$/g, '');
  if (bind === '0.0.0.0' || bind === '::') {
    for (const addresses of Object.values(os.networkInterfaces()))
      for (const a of addresses ?? []) hosts.add(a.address.toLowerCase().replace(/%.*$/, ''));
  } else {
    hosts.add(bind);
  }
  return hosts;
}

/** A predicate over Host header values for the given allowlist. */
export function hostChecker(hosts: ReadonlySet<string>): (header: string | undefined) => boolean {
  return (header) => {
    const name = hostName(header);
    return name !== undefined && hosts.has(name);
  };
}
