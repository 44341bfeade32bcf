/**
 * A jurisdiction code: an ISO 3166-1 alpha-2 country code in upper case (`CN`, `HK`, `US`, …), or
 * {@link UNKNOWN_JURISDICTION} (`ZZ`, the user-assigned "unknown or unspecified" code) when an address
 * cannot be placed. This is the only thing the geo layer ever hands out.
 */
export type Jurisdiction = string;

/** The code for "unknown": unparseable, private or reserved addresses, and addresses not in the database. */
export const UNKNOWN_JURISDICTION = 'ZZ';

const CODE = /^[A-Z]{2}$/;

/** True if `value` has the shape of a jurisdiction code: exactly two upper-case ASCII letters. */
export function isJurisdictionCode(value: unknown): value is Jurisdiction {
  return typeof value === 'string' && CODE.test(value);
}
