/**
 * The ledger: a tamper-evident, append-only log in the C2SP tlog formats. Pure: node built-ins only,
 * no I/O; storage and transport are injected (HashReader, TileReader, fetch functions).
 */
export * from './hash.js';
export * from './proof.js';
export * from './verify.js';
export * from './memory.js';
export * from './keys.js';
export * from './note.js';
export * from './checkpoint.js';
export * from './cosignature.js';
export * from './tilePath.js';
export * from './bundle.js';
export * from './tileReader.js';
export * from './appender.js';
export * from './tileVerifier.js';
export * from './witness.js';
