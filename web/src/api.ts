/** The little HTTP API the web app uses, and meeting-link parsing. */

export interface CreatedMeeting {
  id: string;
  url: string;
}

export async function createMeeting(title?: string): Promise<CreatedMeeting> {
  const response = await fetch('/api/meetings', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(title ? { title } : {}),
  });
  if (!response.ok) {
    let message = `The server answered ${response.status}.`;
    try {
      const body = (await response.json()) as { message?: unknown };
      if (typeof body.message === 'string') message = body.message;
    } catch {
      // Keep the generic message.
    }
    throw new Error(message);
  }
  const body = (await response.json()) as Partial<CreatedMeeting>;
  if (typeof body.id !== 'string') throw new Error('The server did not return a meeting.');
  return { id: body.id, url: typeof body.url === 'string' ? body.url : meetingUrl(body.id) };
}

const ID = /^[A-Za-z0-9_-]{22,64}$/;

/** A meeting id from a pasted link (`https://host/m/<id>`) or a bare id; null when there is none. */
export function parseMeetingInput(input: string): string | null {
  const text = input.trim();
  if (ID.test(text)) return text;
  const match = /\/m\/([A-Za-z0-9_-]{22,64})(?:[/?#]|$)/.exec(text);
  return match?.[1] ?? null;
}

export function meetingUrl(id: string): string {
  return `${window.location.origin}/m/${id}`;
}
