/** Storage of the tamper-evident log (src/ledger formats; docs/transparency.md). */

export interface StoredCheckpoint {
  size: number;
  /** The signed note, signed by the log's key only. */
  note: string;
  signedAt: Date;
  /** The same note with every configured witness's cosignature, once all of them cosigned it. */
  cosigned: string | null;
}

export type WitnessStatus = 'ok' | 'unreachable' | 'refused';

export interface WitnessState {
  /** The witness's verifier key (name+id+key). */
  witness: string;
  /** The tree size this witness last cosigned (0 before its first cosignature). */
  size: number;
  status: WitnessStatus;
  detail: string | null;
  checkedAt: Date;
}

export interface LedgerRepo {
  /** The tree size, locking it until the transaction ends: appends are serialised across nodes. */
  lockSize(): Promise<number>;
  /** The tree size, without a lock (what a checkpoint may cover). */
  size(): Promise<number>;
  setSize(size: number): Promise<void>;
  /** Tiles and bundles by tlog-tiles path; missing paths are absent from the map. */
  readTiles(paths: readonly string[]): Promise<Map<string, Uint8Array>>;
  /** Inserts or replaces tiles and bundles. */
  putTiles(tiles: readonly { path: string; data: Uint8Array }[]): Promise<void>;
  /** Deletes every partial tile or bundle (`.p/` paths) not in `keep`; returns how many. */
  deletePartialsExcept(keep: readonly string[]): Promise<number>;
  /** How many tiles and bundles are stored, and their bytes (for monitoring and benchmarks). */
  storedBytes(): Promise<{ count: number; bytes: number }>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  latestCosigned(): Promise<StoredCheckpoint | undefined>;
  checkpointAt(size: number): Promise<StoredCheckpoint | undefined>;
  /** Inserts a checkpoint, replacing one of the same size (signed again with a new key). */
  saveCheckpoint(c: StoredCheckpoint): Promise<void>;
  setCosigned(size: number, note: string): Promise<void>;
  witnesses(): Promise<WitnessState[]>;
  saveWitness(w: WitnessState): Promise<void>;
}
