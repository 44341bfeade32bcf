/**
 * What a participant prepares before it can be added to a group: a KeyPackage (RFC 9420 §10) whose
 * credential names its participant id and display name, and the private half that stays with it until
 * its Welcome arrives (MlsMember.join).
 */
import {
  defaultCapabilities,
  defaultLifetime,
  generateKeyPackage,
  type KeyPackage,
  type PrivateKeyPackage,
} from 'ts-mls';
import { participantCredential, type ParticipantIdentity } from './credential.js';
import { cipherSuite, encodeMessage } from './suite.js';

/** A KeyPackage to upload (public bytes) and the private half that stays with the joiner. */
export interface PreparedJoin {
  readonly identity: ParticipantIdentity;
  readonly keyPackage: Uint8Array;
  readonly publicPackage: KeyPackage;
  readonly privatePackage: PrivateKeyPackage;
}

export async function prepareJoin(identity: ParticipantIdentity): Promise<PreparedJoin> {
  const cs = await cipherSuite();
  const { publicPackage, privatePackage } = await generateKeyPackage(
    participantCredential(identity),
    defaultCapabilities(),
    defaultLifetime,
    [],
    cs,
  );
  const keyPackage = encodeMessage({
    version: 'mls10',
    wireformat: 'mls_key_package',
    keyPackage: publicPackage,
  });
  return { identity, keyPackage, publicPackage, privatePackage };
}
