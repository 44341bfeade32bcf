/**
 * The witness's own cosigning key, generated on first start into `<data-dir>/witness.key` (mode 0600,
 * the Go note signer-key encoding) and reused afterwards, so its verifier key stays stable.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SIG_TYPE_COSIGNATURE_V1,
  generateSignerKey,
  parseSignerKey,
  formatSignerKey,
  type SignerKey,
} from '../ledger/index.js';
import { writeFileAtomic } from '../util/files.js';

export const KEY_FILE = 'witness.key';

export async function loadOrCreateWitnessKey(
  dataDir: string,
  name: string,
): Promise<{ key: SignerKey; created: boolean }> {
  const path = join(dataDir, KEY_FILE);
  try {
    const key = parseSignerKey((await readFile(path, 'utf8')).trim());
    if (key.type !== SIG_TYPE_COSIGNATURE_V1) throw new Error(`${path} is not a cosignature/v1 key`);
    return { key, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = generateSignerKey(name, SIG_TYPE_COSIGNATURE_V1);
  await writeFileAtomic(path, `${formatSignerKey(key)}\n`, 0o600);
  return { key, created: true };
}
