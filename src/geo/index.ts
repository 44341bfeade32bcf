/**
 * The geo layer: turns a connection's address into a jurisdiction code (ISO 3166-1 alpha-2, or `ZZ`
 * for unknown) and nothing else. Addresses never leave this layer. See docs/geo.md.
 */
export { GeoLocator, defaultDatabasePath, type GeoOptions } from './GeoLocator.js';
export { isJurisdictionCode, UNKNOWN_JURISDICTION, type Jurisdiction } from './Jurisdiction.js';
