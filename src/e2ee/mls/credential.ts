/**
 * Who a leaf of the group is: an MLS basic credential whose identity is our own small encoding of the
 * participant id and display name the server announced. The library's default authentication service
 * (ts-mls 1.x) accepts any credential, so every group this module builds uses `CredentialValidator`
 * instead: a leaf is accepted only if it is well formed and matches what the server announced.
 */
import type { AuthenticationService, Credential } from 'ts-mls';
import { MlsGroupError } from './errors.js';

export interface ParticipantIdentity {
  readonly participantId: string;
  readonly displayName: string;
}

/** Identity bytes: UTF-8 of `{"v":1,"pid":...,"name":...}`, keys in this order, nothing else. */
const VERSION = 1;
const MAX_IDENTITY_BYTES = 1024;
/** The external sender's credential: the server, not a participant. */
export const SERVER_IDENTITY = 'convene-server/1';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeIdentity(identity: ParticipantIdentity): Uint8Array {
  if (!identity.participantId || identity.participantId.length > 128)
    throw MlsGroupError.badCredential('participant id must be 1-128 characters');
  const bytes = utf8.encode(
    JSON.stringify({ v: VERSION, pid: identity.participantId, name: identity.displayName }),
  );
  if (bytes.length > MAX_IDENTITY_BYTES) throw MlsGroupError.badCredential('identity longer than 1 KiB');
  return bytes;
}

export function participantCredential(identity: ParticipantIdentity): Credential {
  return { credentialType: 'basic', identity: encodeIdentity(identity) };
}

export function serverCredential(): Credential {
  return { credentialType: 'basic', identity: utf8.encode(SERVER_IDENTITY) };
}

/**
 * Strict decoding: the bytes must be exactly what `encodeIdentity` produces for the decoded value, so
 * one identity has one encoding (no extra keys, no reordering, no whitespace) and two leaves cannot
 * show the same name from different bytes.
 */
export function decodeIdentity(credential: Credential): ParticipantIdentity | undefined {
  if (credential.credentialType !== 'basic') return undefined;
  if (credential.identity.length > MAX_IDENTITY_BYTES) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8.decode(credential.identity));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { v, pid, name } = parsed as Record<string, unknown>;
  if (v !== VERSION || typeof pid !== 'string' || typeof name !== 'string') return undefined;
  const identity = { participantId: pid, displayName: name };
  let again: Uint8Array;
  try {
    again = encodeIdentity(identity);
  } catch {
    return undefined;
  }
  if (again.length !== credential.identity.length) return undefined;
  for (let i = 0; i < again.length; i++) if (again[i] !== credential.identity[i]) return undefined;
  return identity;
}

function isServerCredential(credential: Credential): boolean {
  if (credential.credentialType !== 'basic') return false;
  try {
    return fromUtf8.decode(credential.identity) === SERVER_IDENTITY;
  } catch {
    return false;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export type CredentialCheck =
  | { readonly ok: true; readonly kind: 'participant'; readonly identity: ParticipantIdentity }
  | { readonly ok: true; readonly kind: 'server' }
  | {
      readonly ok: false;
      /** malformed: not our encoding; unannounced: the server never announced this participant;
       * nameMismatch: announced under another display name; wrongServerKey: a server credential with
       * a key that is not the server's external-sender key. */
      readonly reason: 'malformed' | 'unannounced' | 'nameMismatch' | 'wrongServerKey';
    };

/**
 * Checks credentials against the participants the server announced (participant id -> display name)
 * and the server's external-sender key. The session layer calls `announce`/`withdraw` as the server's
 * roster messages arrive, before it hands the matching handshake messages to the group.
 */
export class CredentialValidator {
  readonly #announced = new Map<string, string>();
  readonly #serverKey: Uint8Array;

  constructor(serverSignaturePublicKey: Uint8Array, announced: Iterable<ParticipantIdentity> = []) {
    this.#serverKey = Uint8Array.from(serverSignaturePublicKey);
    for (const p of announced) this.announce(p);
  }

  announce(identity: ParticipantIdentity): void {
    this.#announced.set(identity.participantId, identity.displayName);
  }

  withdraw(participantId: string): void {
    this.#announced.delete(participantId);
  }

  isAnnounced(participantId: string): boolean {
    return this.#announced.has(participantId);
  }

  get serverKey(): Uint8Array {
    return this.#serverKey;
  }

  check(credential: Credential, signaturePublicKey: Uint8Array): CredentialCheck {
    if (isServerCredential(credential))
      return sameBytes(signaturePublicKey, this.#serverKey)
        ? { ok: true, kind: 'server' }
        : { ok: false, reason: 'wrongServerKey' };
    const identity = decodeIdentity(credential);
    if (!identity) return { ok: false, reason: 'malformed' };
    const name = this.#announced.get(identity.participantId);
    if (name === undefined) return { ok: false, reason: 'unannounced' };
    if (name !== identity.displayName) return { ok: false, reason: 'nameMismatch' };
    return { ok: true, kind: 'participant', identity };
  }

  /**
   * The ts-mls hook: every leaf, KeyPackage, GroupInfo signer and external sender the library sees
   * goes through here. ts-mls asks the same question of the external sender (the server's credential
   * with the server's key) and of leaves, so both pass here; a leaf holding the server's credential is
   * refused separately (`MlsMember`'s proposal rule), since a member with the server's key would let
   * the operator decrypt.
   */
  authenticationService(): AuthenticationService {
    return {
      validateCredential: async (credential, signaturePublicKey) =>
        this.check(credential, signaturePublicKey).ok,
    };
  }
}
