/**
 * The one display-name rule, shared by the signaling `join` and the HTTP sign-up. A name is shown to
 * every other participant and handed to the media server, so it is refused when it carries control
 * characters or lone surrogates (Janus never answered a join with a NUL in its name), cleaned of
 * bidirectional overrides (which would let a name reorder the text shown after it), and must keep at
 * least one visible character (names of only spaces or zero-width characters impersonate "nobody").
 */
import { ConveneError } from '../errors.js';

export const DISPLAY_NAME_MAX = 64;

// C0 and C1 controls and DEL; line and paragraph separators behave like line breaks.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NONCHARACTER = /[\ufdd0-\ufdef\ufffe\uffff]/;
// Bidirectional embeddings, overrides, isolates and marks: removed, not refused.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Visible: not white space, not a format character (zero-width joiners, BOM, tags), not a combining
// mark on its own, not a default-ignorable code point (e.g. the Hangul filler).
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}]/u;

/**
 * The cleaned display name (bidi controls removed, NFC, trimmed, runs of white space made one space),
 * or a `bad_display_name` error saying why it was refused.
 */
export function normaliseDisplayName(raw: string): string {
  if (LONE_SURROGATE.test(raw)) throw refuse('It contains an invalid character (a lone surrogate).');
  if (CONTROL.test(raw)) throw refuse('It contains a control character.');
  if (NONCHARACTER.test(raw)) throw refuse('It contains a Unicode noncharacter.');
  const name = raw.replace(BIDI_CONTROLS, '').normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (!VISIBLE.test(name)) throw refuse('It needs at least one visible character.');
  if (name.length > DISPLAY_NAME_MAX) throw refuse(`It is longer than ${DISPLAY_NAME_MAX} characters.`);
  return name;
}

function refuse(why: string): ConveneError {
  return new ConveneError('bad_display_name', `This display name cannot be used. ${why}`);
}
