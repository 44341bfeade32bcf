/**
 * A random 16-bit SFrame KID context per key ring that encrypts (docs/e2ee.md "KID context and nonce
 * safety"): a page may recreate its SFrame worker mid-epoch and hand it the current secret again, and a
 * fresh ring restarts CTR at 0, so with a fixed context the same (KID, CTR) and hence the same AES-GCM
 * nonce would repeat. Costs 2 bytes of KID per frame. Shared by the browser worker and the headless
 * test clients, which build their rings the same way.
 */
export function randomSenderContext(): bigint {
  const [r] = globalThis.crypto.getRandomValues(new Uint16Array(1));
  return BigInt(r || 1); // never 0, so it also differs from a ring that kept the default
}
