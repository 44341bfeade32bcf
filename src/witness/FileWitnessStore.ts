/**
 * The witness's state in one JSON file under the data directory: for each log origin, the size, root
 * and note of the latest cosigned checkpoint. Small (one record per log), so every write rewrites the
 * whole file atomically; the Witness serializes writes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WitnessRecord, WitnessStore } from '../ledger/index.js';
import { writeFileAtomic } from '../util/files.js';

interface FileRecord {
  size: number;
  root: string;
  note: string;
}
interface StateFile {
  version: 1;
  logs: Record<string, FileRecord>;
}

export const STATE_FILE = 'witness-state.json';

function isRecord(v: unknown): v is FileRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return Number.isSafeInteger(r.size) && typeof r.root === 'string' && typeof r.note === 'string';
}

export class FileWitnessStore implements WitnessStore {
  private constructor(
    private readonly path: string,
    private readonly records: Map<string, WitnessRecord>,
  ) {}

  /** Loads the state, or starts empty if there is none yet; a corrupt file is an error, not a reset. */
  static async open(dataDir: string): Promise<FileWitnessStore> {
    const path = join(dataDir, STATE_FILE);
    const records = new Map<string, WitnessRecord>();
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text !== undefined) {
      const parsed = JSON.parse(text) as Partial<StateFile>;
      if (parsed.version !== 1 || typeof parsed.logs !== 'object' || parsed.logs === null) {
        throw new Error(`${path} is not a witness state file`);
      }
      for (const [origin, r] of Object.entries(parsed.logs)) {
        if (!isRecord(r)) throw new Error(`${path}: bad record for ${origin}`);
        records.set(origin, {
          size: r.size,
          root: new Uint8Array(Buffer.from(r.root, 'base64')),
          note: r.note,
        });
      }
    }
    return new FileWitnessStore(path, records);
  }

  async read(origin: string): Promise<WitnessRecord | undefined> {
    return this.records.get(origin);
  }

  async write(origin: string, record: WitnessRecord): Promise<void> {
    const next = new Map(this.records).set(origin, record);
    const file: StateFile = { version: 1, logs: {} };
    for (const [o, r] of next) {
      file.logs[o] = { size: r.size, root: Buffer.from(r.root).toString('base64'), note: r.note };
    }
    await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
    // Only after the file is durable does the in-memory view move on.
    this.records.set(origin, record);
  }
}
