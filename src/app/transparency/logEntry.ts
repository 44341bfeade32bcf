/**
 * The public log entry: the bytes that go into the tamper-evident log (src/ledger) for one row of the
 * operator record. One definition, used by the recording function when it appends, by the
 * transparency report when it reads the log, and by `convene audit verify`.
 *
 * An entry is the canonical JSON (object keys sorted, no spaces, UTF-8) of
 *   { v: 1, index, at, actor, action, caseRef, details, privateDigest }
 * where `index` is the entry's 0-based position in the log (so a reordered or moved entry is caught
 * even when its bytes are intact), `at` an ISO 8601 UTC timestamp, `actor` `operator:<id>`, `host` or
 * `system`, `details` what the case's public notice carries, and `privateDigest` `sha256:<hex>` of a
 * salt and the private details, or null.
 */
import { canonicalJson } from '../cases/record.js';
import type { RecordEntry } from '../../store/caseTypes.js';

export const LOG_ENTRY_VERSION = 1;

export interface LogEntry {
  v: typeof LOG_ENTRY_VERSION;
  index: number;
  at: string;
  actor: string;
  action: string;
  caseRef: string | null;
  details: Record<string, unknown>;
  privateDigest: string | null;
}

export class LogEntryError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(`log entry ${index}: ${message}`);
    this.name = 'LogEntryError';
  }
}

export function logEntryOf(
  row: Pick<RecordEntry, 'at' | 'actor' | 'action' | 'caseRef' | 'details' | 'privateDigest'>,
  index: number,
): LogEntry {
  return {
    v: LOG_ENTRY_VERSION,
    index,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    caseRef: row.caseRef,
    details: row.details,
    privateDigest: row.privateDigest,
  };
}

export function encodeLogEntry(entry: LogEntry): Uint8Array {
  return new TextEncoder().encode(canonicalJson(entry));
}

const ACTOR = /^(operator:[A-Za-z0-9_-]+|host|system)$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses and checks one entry read from the log at position `index`. Throws LogEntryError when the
 * bytes are not a well-formed entry, are not in canonical form, or carry another index.
 */
export function decodeLogEntry(bytes: Uint8Array, index: number): LogEntry {
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    value = JSON.parse(text);
  } catch {
    throw new LogEntryError(index, 'is not UTF-8 JSON');
  }
  if (!isObject(value)) throw new LogEntryError(index, 'is not a JSON object');
  const e = value;
  if (e.v !== LOG_ENTRY_VERSION) throw new LogEntryError(index, `has unknown version ${String(e.v)}`);
  if (e.index !== index) throw new LogEntryError(index, `carries index ${String(e.index)}`);
  if (typeof e.at !== 'string' || !isIsoTime(e.at)) throw new LogEntryError(index, 'has no valid time');
  if (typeof e.actor !== 'string' || !ACTOR.test(e.actor))
    throw new LogEntryError(index, 'has no valid actor');
  if (typeof e.action !== 'string' || e.action.length === 0) throw new LogEntryError(index, 'has no action');
  if (e.caseRef !== null && typeof e.caseRef !== 'string')
    throw new LogEntryError(index, 'has a bad caseRef');
  if (!isObject(e.details)) throw new LogEntryError(index, 'has no details object');
  if (e.privateDigest !== null && (typeof e.privateDigest !== 'string' || !DIGEST.test(e.privateDigest)))
    throw new LogEntryError(index, 'has a bad privateDigest');
  const keys = Object.keys(e).sort().join(',');
  if (keys !== 'action,actor,at,caseRef,details,index,privateDigest,v')
    throw new LogEntryError(index, `has unexpected fields (${keys})`);
  const entry: LogEntry = {
    v: LOG_ENTRY_VERSION,
    index,
    at: e.at,
    actor: e.actor,
    action: e.action,
    caseRef: e.caseRef,
    details: e.details,
    privateDigest: e.privateDigest,
  };
  if (!isCanonical(value, text) && canonicalJson(entry) !== text)
    throw new LogEntryError(index, 'is not in canonical form');
  return entry;
}

const ISO_TIME = /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
/** The last calendar day found valid: entries come in time order, so most share it. */
let validDay = '';

/** `at` is exactly what Date.prototype.toISOString writes for some instant. */
function isIsoTime(at: string): boolean {
  const m = ISO_TIME.exec(at);
  if (!m) return false;
  const day = m[1]!;
  if (day === validDay) return true;
  const midnight = `${day}T00:00:00.000Z`;
  const time = Date.parse(midnight);
  if (Number.isNaN(time) || new Date(time).toISOString() !== midnight) return false;
  validDay = day;
  return true;
}

/** Every object's keys in strictly ascending order (as canonicalJson sorts them). */
function keysSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (!isObject(value)) return true;
  let previous: string | undefined;
  for (const key of Object.keys(value)) {
    if (previous !== undefined && !(previous < key)) return false;
    if (!keysSorted(value[key])) return false;
    previous = key;
  }
  return true;
}

/**
 * The fast check an audit of 10^5 entries needs: a parsed value whose keys are already in order
 * serializes with the native JSON.stringify exactly as canonicalJson would. False only means "not
 * shown here" (an object with integer-like keys, which JavaScript reorders): the caller then compares
 * with canonicalJson itself.
 */
function isCanonical(value: unknown, text: string): boolean {
  return keysSorted(value) && JSON.stringify(value) === text;
}
