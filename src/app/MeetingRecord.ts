import { randomBytes } from 'node:crypto';

/** What is stored about a meeting (in memory for now; a database arrives with accounts). */
export interface MeetingRecord {
  /** 128 bits from the CSPRNG, base64url (22 characters). */
  readonly id: string;
  title: string;
  readonly createdAt: number;
  endedAt?: number;
  settings: {
    maxParticipants?: number;
    regionPolicy?: { mode: 'deny' | 'allow'; jurisdictions: string[] };
  };
}

export function newMeetingId(): string {
  return randomBytes(16).toString('base64url');
}

export function newSecretToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
