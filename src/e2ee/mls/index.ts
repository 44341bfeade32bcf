/** Public API of the MLS layer (docs/e2ee.md, "MLS"). Pure: ts-mls on WebCrypto, runs in Node and the browser. */
export {
  CredentialValidator,
  participantCredential,
  decodeIdentity,
  encodeIdentity,
  type ParticipantIdentity,
  type CredentialCheck,
} from './credential.js';
export { MlsGroupError, type MlsGroupErrorCode } from './errors.js';
export {
  MLS_CIPHERSUITE,
  bytesEqual,
  cipherSuite,
  decodeMessage,
  externalSendersExtension,
} from './suite.js';
export {
  ExternalSender,
  checkKeyPackage,
  type CheckedKeyPackage,
  type ExternalSenderKeys,
} from './externalSender.js';
export { prepareJoin, type PreparedJoin } from './prepareJoin.js';
export { MlsMember, type PendingCommit, type HandshakeResult, type CommitOptions } from './MlsMember.js';
export {
  rosterOf,
  diffRoster,
  compareWithAnnounced,
  type RosterMember,
  type RosterChange,
  type RosterDisagreement,
} from './roster.js';
export { type ExternalProposal } from './incoming.js';
export { peekServerProposal } from './peek.js';
export { safetyCode, SAFETY_CODE_GROUPS } from './safetyCode.js';
export { designatedCommitter, type CommitterCandidate } from './committer.js';
export { Serial } from './serial.js';
export { commitSubmission, type CommitSubmission } from './submission.js';
export { memoizedHash } from './hashCache.js';
export { fastCryptoProvider } from './fastCrypto.js';
