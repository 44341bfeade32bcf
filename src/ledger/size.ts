/**
 * Tree-size arithmetic on plain numbers. Sizes and indexes are safe integers (< 2^53), which is far
 * beyond any operator-action log; bitwise operators are avoided because they truncate to 32 bits.
 */

export function assertSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative safe integer`);
}

/** The largest power of two strictly less than n (n >= 2): the RFC's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

export function lsb(n: number): boolean {
  return n % 2 === 1;
}

export function half(n: number): number {
  return Math.floor(n / 2);
}
