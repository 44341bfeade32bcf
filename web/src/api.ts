/** The web app's one API client (fetch logic lives in src/client/api.ts), and meeting-link helpers. */
import { ApiClient, passcodeFromHash, type Meeting } from '../../src/client/api.js';

export const api = new ApiClient();

const ID = /^[A-Za-z0-9_-]{22,64}$/;

/** A meeting id from a pasted link (`https://host/m/<id>`) or a bare id; null when there is none. */
export function parseMeetingInput(input: string): string | null {
  const text = input.trim();
  if (ID.test(text)) return text;
  const match = /\/m\/([A-Za-z0-9_-]{22,64})(?:[/?#]|$)/.exec(text);
  return match?.[1] ?? null;
}

/** The passcode fragment of a pasted link (`#pwd=...`), to carry it along; '' when none. */
export function linkHash(input: string): string {
  const index = input.indexOf('#');
  return index >= 0 ? pwdHash(passcodeFromHash(input.slice(index).trim())) : '';
}

function pwdHash(passcode: string | null | undefined): string {
  return passcode ? `#pwd=${encodeURIComponent(passcode)}` : '';
}

/** The meeting's link on this origin, with `#pwd=<passcode>` when there is one. */
export function meetingUrl(id: string, passcode?: string | null): string {
  return `${window.location.origin}/m/${id}${pwdHash(passcode)}`;
}

/** The in-app path that opens a meeting (with the passcode fragment, which never leaves the browser). */
export function meetingPath(meeting: Pick<Meeting, 'id' | 'settings'>): string {
  return `/m/${meeting.id}${pwdHash(meeting.settings.passcode)}`;
}

/** The host's copy of the link: the server's `url` with `#pwd=` when the meeting has a passcode. */
export function shareLink(meeting: Pick<Meeting, 'url' | 'settings'>): string {
  return `${meeting.url.replace(/#.*$/, '')}${pwdHash(meeting.settings.passcode)}`;
}
