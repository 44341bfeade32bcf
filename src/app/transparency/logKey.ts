/**
 * The log's signing key: generated at first start into `<data-dir>/log.key` (mode 0600, the Go note
 * signer-key encoding) and reused afterwards. Its name is the log's origin, so the origin is fixed
 * when the key is created (from CONVENE_PUBLIC_URL, or this machine's name when none is set).
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  SIG_TYPE_ED25519,
  formatSignerKey,
  generateSignerKey,
  parseSignerKey,
  type SignerKey,
} from '../../ledger/index.js';
import { writeFileAtomic } from '../../util/files.js';

export const LOG_KEY_FILE = 'log.key';

/** The origin a new log gets: `<public host>/log`, e.g. `meet.example.org/log`. */
export function defaultOrigin(publicUrl: string | undefined): string {
  const host = publicUrl
    ? new URL(publicUrl).host
    : hostname()
        .toLowerCase()
        .replace(/[^a-z0-9.-]/g, '-');
  return `${host}/log`;
}

export async function loadOrCreateLogKey(
  dataDir: string,
  origin: string,
): Promise<{ key: SignerKey; created: boolean }> {
  const path = join(dataDir, LOG_KEY_FILE);
  try {
    const key = parseSignerKey((await readFile(path, 'utf8')).trim());
    if (key.type !== SIG_TYPE_ED25519) throw new Error(`${path} is not an Ed25519 note key`);
    return { key, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = generateSignerKey(origin, SIG_TYPE_ED25519);
  await writeFileAtomic(path, `${formatSignerKey(key)}\n`, 0o600);
  return { key, created: true };
}
