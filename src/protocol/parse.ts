import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { ConveneError } from '../errors.js';
import { normaliseDisplayName } from './displayName.js';
import {
  ClientMessageSchemas,
  LARGE_MESSAGE_TYPES,
  MAX_MESSAGE_BYTES,
  MAX_MLS_COMMIT_BYTES,
  PROTOCOL_VERSION,
  type ClientMessage,
  type ClientMessageType,
} from './messages.js';

const checkers = Object.fromEntries(
  Object.entries(ClientMessageSchemas).map(([type, schema]) => [
    type,
    TypeCompiler.Compile(schema as TSchema),
  ]),
) as Record<ClientMessageType, TypeCheck<TSchema>>;

function isMessageType(type: string): type is ClientMessageType {
  return Object.hasOwn(checkers, type);
}

/** The request id of a frame that failed validation, if one can be read, so the error can echo it. */
export function readRid(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const rid = (value as { rid?: unknown }).rid;
  return typeof rid === 'string' && rid.length <= 64 ? rid : undefined;
}

/**
 * Parses and validates one client frame. Throws a ConveneError with a stable code; never returns a
 * message that does not match its schema.
 */
export function parseClientMessage(raw: string): ClientMessage {
  const size = Buffer.byteLength(raw);
  if (size > MAX_MLS_COMMIT_BYTES) throw new ConveneError('message_too_big');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (cause) {
    throw new ConveneError('bad_json', undefined, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConveneError('bad_message', 'A message must be a JSON object.');
  }
  const { v, type } = value as { v?: unknown; type?: unknown };
  if (v !== PROTOCOL_VERSION) {
    throw new ConveneError('unsupported_version', `Expected protocol version ${PROTOCOL_VERSION}.`);
  }
  if (typeof type !== 'string') throw new ConveneError('bad_message', 'A message needs a string "type".');
  if (!isMessageType(type))
    throw new ConveneError('unknown_type', `Unknown message type "${type.slice(0, 40)}".`);
  if (size > MAX_MESSAGE_BYTES && !LARGE_MESSAGE_TYPES.has(type)) throw new ConveneError('message_too_big');
  const check = checkers[type];
  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    const where = first ? `${first.path || '/'}: ${first.message}` : 'invalid';
    throw new ConveneError('bad_message', `Invalid "${type}" message at ${where}.`);
  }
  const message = value as ClientMessage;
  // The name goes to every participant and to the media server: apply the character rules here, once.
  if (message.type === 'join') return { ...message, displayName: normaliseDisplayName(message.displayName) };
  return message;
}
