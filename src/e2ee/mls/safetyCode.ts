/**
 * The safety code people compare aloud: derived from the epoch's epoch_authenticator (RFC 9420 §8.7),
 * which every member of one epoch shares and which changes with every commit, so it changes whenever
 * membership does. Derivation (docs/e2ee.md):
 *   h = SHA-256("Convene safety code v1" || epoch_authenticator)
 *   group i (i = 0..5) = big-endian integer of h[5i .. 5i+5) mod 100000, as 5 digits
 *   code = the six groups joined by spaces, e.g. "01234 56789 01234 56789 01234 56789"
 * 30 digits (~99.6 bits): two forks of a group that a server grinds to show the same code cost it
 * about 2^50 commits (a birthday search), far beyond a meeting's lifetime.
 */
const LABEL = new TextEncoder().encode('Convene safety code v1');
export const SAFETY_CODE_GROUPS = 6;
const DIGITS = 5;

const subtle = (): typeof globalThis.crypto.subtle => globalThis.crypto.subtle;

export async function safetyCode(epochAuthenticator: Uint8Array): Promise<string> {
  if (epochAuthenticator.length < 16) throw new RangeError('epoch authenticator too short');
  const input = new Uint8Array(LABEL.length + epochAuthenticator.length);
  input.set(LABEL, 0);
  input.set(epochAuthenticator, LABEL.length);
  const h = new Uint8Array(await subtle().digest('SHA-256', input));
  const groups: string[] = [];
  for (let g = 0; g < SAFETY_CODE_GROUPS; g++) {
    let n = 0n;
    for (let i = 0; i < 5; i++) n = (n << 8n) | BigInt(h[g * 5 + i] ?? 0);
    groups.push((n % 10n ** BigInt(DIGITS)).toString().padStart(DIGITS, '0'));
  }
  return groups.join(' ');
}
