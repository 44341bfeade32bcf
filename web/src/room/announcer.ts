/** Screen-reader announcements (joins, leaves, raised hands, chat) for one polite live region. */
type Listener = (messages: readonly Announcement[]) => void;
export interface Announcement {
  id: number;
  text: string;
}

let messages: Announcement[] = [];
let nextId = 1;
const listeners = new Set<Listener>();

export function announce(text: string): void {
  messages = [...messages.slice(-4), { id: nextId++, text }];
  for (const listener of listeners) listener(messages);
}

export function announcements(): readonly Announcement[] {
  return messages;
}

export function onAnnouncements(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function clearAnnouncements(): void {
  messages = [];
  for (const listener of listeners) listener(messages);
}
