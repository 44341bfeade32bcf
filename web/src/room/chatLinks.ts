/**
 * Splits a chat message into text and links. Only http:, https: and mailto: become links (so never
 * `javascript:` or `data:`); the link text is exactly what was typed.
 */
export type ChatPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** A link ends at white space, quotes, angle brackets and full-width (CJK) punctuation. */
const CANDIDATE = /\b(?:https?:\/\/|mailto:|www\.)[^\s<>"，。、！？；：（）【】「」『』《》]+/gi;
const TRAILING = /[.,;:!?)\]}'"。，、！？）]+$/;

export function safeHref(raw: string): string | null {
  const withScheme = /^www\./i.test(raw) ? `https://${raw}` : raw;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'mailto:') return null;
  if (url.protocol !== 'mailto:' && !url.hostname) return null;
  return url.href;
}

export function splitLinks(text: string): ChatPart[] {
  const parts: ChatPart[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index ?? 0;
    let candidate = match[0];
    const trailing = TRAILING.exec(candidate);
    if (trailing) candidate = candidate.slice(0, -trailing[0].length);
    const href = candidate ? safeHref(candidate) : null;
    if (!href) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
