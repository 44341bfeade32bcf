/**
 * The server's side of the group: its external-sender signing key, and the Add and Remove proposals it
 * signs with it (RFC 9420 §12.1.8). The server never holds a group secret: an external proposal is a
 * signed PublicMessage whose signature covers no group context, so it needs only the group id and
 * epoch. Members check every such proposal (`MlsMember`) and a member commits it.
 */
import { proposeExternal, type GroupInfo, type KeyPackage } from 'ts-mls';
import { verifyKeyPackage } from 'ts-mls/keyPackage.js';
import { decodeIdentity } from './credential.js';
import { MlsGroupError } from './errors.js';
import {
  MLS_CIPHERSUITE,
  cipherSuite,
  decodeMessage,
  encodeMessage,
  encodeProposalSubject,
  externalSendersExtension,
} from './suite.js';

export interface ExternalSenderKeys {
  readonly publicKey: Uint8Array;
  readonly signKey: Uint8Array;
}

/** A KeyPackage a joiner uploaded, checked: our suite, a valid signature, our credential encoding. */
export interface CheckedKeyPackage {
  readonly keyPackage: KeyPackage;
  readonly participantId: string;
  readonly displayName: string;
}

export async function checkKeyPackage(bytes: Uint8Array): Promise<CheckedKeyPackage> {
  const message = decodeMessage(bytes);
  if (message.wireformat !== 'mls_key_package') throw MlsGroupError.badMessage('not a KeyPackage');
  const keyPackage = message.keyPackage;
  if (keyPackage.cipherSuite !== MLS_CIPHERSUITE) throw MlsGroupError.badMessage('wrong cipher suite');
  const identity = decodeIdentity(keyPackage.leafNode.credential);
  if (!identity) throw MlsGroupError.badCredential('KeyPackage credential is not ours');
  if (!(await verifyKeyPackage(keyPackage, (await cipherSuite()).signature)))
    throw MlsGroupError.badMessage('KeyPackage signature does not verify');
  return { keyPackage, ...identity };
}

export class ExternalSender {
  readonly #keys: ExternalSenderKeys;

  private constructor(keys: ExternalSenderKeys) {
    this.#keys = keys;
  }

  /** A fresh key pair: one per server process is enough (members learn it from the server). */
  static async generate(): Promise<ExternalSender> {
    const { publicKey, signKey } = await (await cipherSuite()).signature.keygen();
    return new ExternalSender({ publicKey, signKey });
  }

  static fromKeys(keys: ExternalSenderKeys): ExternalSender {
    return new ExternalSender(keys);
  }

  get publicKey(): Uint8Array {
    return this.#keys.publicKey;
  }

  /** Add `keyPackage` (bytes as uploaded) to the group at `epoch`. Returns the MLSMessage bytes. */
  async proposeAdd(groupId: Uint8Array, epoch: bigint, keyPackageBytes: Uint8Array): Promise<Uint8Array> {
    const checked = await checkKeyPackage(keyPackageBytes);
    return this.#propose(groupId, epoch, checked.participantId, {
      proposalType: 'add',
      add: { keyPackage: checked.keyPackage },
    });
  }

  /** Remove the leaf `leafIndex`, which holds `participantId` (members check that it does). */
  async proposeRemove(
    groupId: Uint8Array,
    epoch: bigint,
    leafIndex: number,
    participantId: string,
  ): Promise<Uint8Array> {
    return this.#propose(groupId, epoch, participantId, {
      proposalType: 'remove',
      remove: { removed: leafIndex },
    });
  }

  async #propose(
    groupId: Uint8Array,
    epoch: bigint,
    participantId: string,
    proposal: Parameters<typeof proposeExternal>[1],
  ): Promise<Uint8Array> {
    const cs = await cipherSuite();
    // proposeExternal wants a GroupInfo but reads only the context's version, group id, epoch and
    // extensions: an external sender's signature covers no group context (RFC 9420 §6.1).
    const groupInfo: GroupInfo = {
      groupContext: {
        version: 'mls10',
        cipherSuite: MLS_CIPHERSUITE,
        groupId,
        epoch,
        treeHash: new Uint8Array(0),
        confirmedTranscriptHash: new Uint8Array(0),
        extensions: [externalSendersExtension(this.#keys.publicKey)],
      },
      extensions: [],
      confirmationTag: new Uint8Array(0),
      signer: 0,
      signature: new Uint8Array(0),
    };
    const message = await proposeExternal(
      groupInfo,
      proposal,
      this.#keys.publicKey,
      this.#keys.signKey,
      cs,
      encodeProposalSubject(participantId),
    );
    return encodeMessage(message);
  }
}
