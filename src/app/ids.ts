import { randomBytes } from 'node:crypto';

/** Meeting IDs: 128 bits from the CSPRNG, base64url (22 characters). */
export function newMeetingId(): string {
  return randomBytes(16).toString('base64url');
}

export function newSecretToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
