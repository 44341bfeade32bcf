/**
 * Errors of the MLS layer, each with a stable code (docs/e2ee.md lists them). The session layer maps
 * them to what the user is told ("cannot decrypt: ..."); nothing here is ever sent to the server.
 */
export type MlsGroupErrorCode =
  /** A credential is not our encoding, or names a participant the server did not announce. */
  | 'mls_bad_credential'
  /** A handshake or application message could not be decoded, or is for another group. */
  | 'mls_bad_message'
  /** The library refused a message (signature, membership tag, tree, proposal rules). */
  | 'mls_rejected'
  /** A proposal from the external sender (the server) that we do not allow: not Add or Remove, or
   * an Add/Remove whose named participant does not match the leaf or KeyPackage it touches. */
  | 'mls_bad_external_proposal'
  /** The group's external sender is not the server's announced key. */
  | 'mls_wrong_external_sender'
  /** We were removed from the group: nothing after this epoch can be decrypted. */
  | 'mls_removed'
  /** A message for an epoch we are not in (an older commit lost, or we are behind). */
  | 'mls_wrong_epoch';

export class MlsGroupError extends Error {
  readonly code: MlsGroupErrorCode;
  /** For `mls_wrong_epoch`: the message's epoch and ours (an older one is stale, a newer one a gap). */
  epochs?: { readonly got: bigint; readonly current: bigint };

  constructor(code: MlsGroupErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MlsGroupError';
    this.code = code;
  }

  static badCredential(why: string): MlsGroupError {
    return new MlsGroupError('mls_bad_credential', `credential rejected: ${why}`);
  }
  static badMessage(why: string, cause?: unknown): MlsGroupError {
    return new MlsGroupError('mls_bad_message', `bad MLS message: ${why}`, { cause });
  }
  static rejected(cause: unknown): MlsGroupError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new MlsGroupError('mls_rejected', `MLS message rejected: ${why}`, { cause });
  }
  static badExternalProposal(why: string): MlsGroupError {
    return new MlsGroupError('mls_bad_external_proposal', `external proposal rejected: ${why}`);
  }
  static wrongExternalSender(): MlsGroupError {
    return new MlsGroupError(
      'mls_wrong_external_sender',
      "the group's external sender is not the server's announced key",
    );
  }
  static removed(): MlsGroupError {
    return new MlsGroupError('mls_removed', 'we are no longer a member of this group');
  }
  static wrongEpoch(got: bigint, current: bigint): MlsGroupError {
    const err = new MlsGroupError('mls_wrong_epoch', `message for epoch ${got}, we are in epoch ${current}`);
    err.epochs = { got, current };
    return err;
  }
}
