/** A round avatar with initials, colored from the name. */

const PALETTE = ['#5b8def', '#8e6cf0', '#d1609a', '#e0784a', '#3fa37a', '#2f9fb3', '#c79a2e', '#6c7bd9'];

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  return (Array.from(first)[0] ?? '?').toUpperCase() + (Array.from(last)[0] ?? '').toUpperCase();
}

export function colorFor(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length] ?? '#5b8def';
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
