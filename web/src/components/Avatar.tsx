/** A round avatar with initials, colored from the name. */

/** Darker than before so that white initials read at 4.5:1 or better on every colour. */
const PALETTE = ['#3566dd', '#7048d8', '#b83d7c', '#b8501f', '#1f7a52', '#1c7485', '#8a6410', '#4a59c2'];

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  return (Array.from(first)[0] ?? '?').toUpperCase() + (Array.from(last)[0] ?? '').toUpperCase();
}

export function colorFor(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length] ?? '#3566dd';
}

export function Avatar({ name, seed, size }: { name: string; seed?: string; size?: number | string }) {
  const style =
    size === undefined
      ? {}
      : { width: size, height: size, fontSize: typeof size === 'number' ? size * 0.4 : undefined };
  return (
    <span className="avatar" style={{ background: colorFor(seed ?? name), ...style }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
