/**
 * Tile and entry-bundle addressing (c2sp.org/tlog-tiles): height 8, so a full tile holds 256 hashes,
 * and `tile/<L>/<N>[.p/<W>]`, `tile/entries/<N>[.p/<W>]` with N in 3-digit groups, all but the last
 * prefixed by `x` so paths map onto a file system without file/directory clashes.
 */

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

/** A tile (level >= 0) or an entry bundle (level 'entries'); width 256 is full, 1..255 partial. */
export interface TileRef {
  readonly level: number | 'entries';
  readonly index: number;
  readonly width: number;
}

function formatIndex(n: number): string {
  const groups: string[] = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

export function tilePath(t: TileRef): string {
  if (!Number.isSafeInteger(t.index) || t.index < 0) throw new RangeError('bad tile index');
  if (!Number.isInteger(t.width) || t.width < 1 || t.width > TILE_WIDTH)
    throw new RangeError('bad tile width');
  if (t.level !== 'entries' && (!Number.isInteger(t.level) || t.level < 0 || t.level > 63)) {
    throw new RangeError('bad tile level');
  }
  const partial = t.width < TILE_WIDTH ? `.p/${t.width}` : '';
  return `tile/${t.level}/${formatIndex(t.index)}${partial}`;
}

/** Parses a path made by tilePath; undefined for anything else (including non-canonical forms). */
export function parseTilePath(path: string): TileRef | undefined {
  const m = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(
    path,
  );
  if (!m) return undefined;
  const level = m[1] === 'entries' ? 'entries' : Number(m[1]);
  const groups = [
    ...(m[2] ?? '')
      .split('/')
      .filter(Boolean)
      .map((g) => g.slice(1)),
    m[3]!,
  ];
  const index = groups.reduce((acc, g) => acc * 1000 + Number(g), 0);
  const width = m[4] === undefined ? TILE_WIDTH : Number(m[4]);
  const ref: TileRef = { level, index, width };
  try {
    return tilePath(ref) === path ? ref : undefined;
  } catch {
    return undefined;
  }
}

/** 256^level as a number (exact up to level 6, which covers every safe tree size). */
export function tileSpan(level: number): number {
  return TILE_WIDTH ** level;
}

/**
 * Every tile a tree of `size` entries consists of at `level` (a number, or 'entries' for bundles,
 * which are laid out like level 0): the full ones, then the partial one if any.
 */
export function tilesAtLevel(
  level: number | 'entries',
  size: number,
): { full: number; partialWidth: number } {
  const l = level === 'entries' ? 0 : level;
  const below = Math.floor(size / tileSpan(l));
  return { full: Math.floor(below / TILE_WIDTH), partialWidth: below % TILE_WIDTH };
}

/** How many tile levels a tree of `size` has (the level of its top, partial tile, plus one). */
export function tileLevels(size: number): number {
  let levels = 0;
  while (size >= tileSpan(levels) && size > 0) levels++;
  return levels;
}

/** The rightmost (partial) tile at each level for `size`, top level last; none where the width is 0. */
export function partialTiles(size: number): TileRef[] {
  const out: TileRef[] = [];
  for (let l = 0; l < tileLevels(size); l++) {
    const { full, partialWidth } = tilesAtLevel(l, size);
    if (partialWidth > 0) out.push({ level: l, index: full, width: partialWidth });
  }
  return out;
}
