/**
 * Reactions in the room: the emoji drawn for each protocol reaction, and the hook that keeps the
 * reactions floating right now (each for FLOAT_MS), announces others' reactions to screen readers and
 * sends yours (a refusal, e.g. `rate_limited`, becomes a message for a toast).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MeetingSession } from '../../../src/client/MeetingSession.js';
import { errorCode } from '../../../src/client/ClientError.js';
import type { Reaction, ReactionEntry } from '../../../src/client/types.js';
import { t } from '../i18n/index.js';
import { announce } from './announcer.js';

export const REACTION_GLYPHS: Readonly<Record<Reaction, string>> = {
  thumbsUp: '👍',
  heart: '❤️',
  joy: '😂',
  surprised: '😮',
  clap: '👏',
  celebrate: '🎉',
};

/** How long a reaction floats over a tile. */
const FLOAT_MS = 4000;

export interface FloatingReaction extends ReactionEntry {
  key: number;
}

let nextKey = 1;

export function useReactions(
  session: MeetingSession,
  onError: (text: string) => void,
): {
  floating: readonly FloatingReaction[];
  byParticipant: Readonly<Record<string, FloatingReaction[]>>;
  send: (reaction: Reaction) => void;
} {
  const [floating, setFloating] = useState<FloatingReaction[]>([]);
  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const off = session.on('reaction', (entry) => {
      const item: FloatingReaction = { key: nextKey++, ...entry };
      setFloating((list) => [...list, item]);
      const timer = setTimeout(() => {
        timers.delete(timer);
        setFloating((list) => list.filter((r) => r !== item));
      }, FLOAT_MS);
      timers.add(timer);
      if (!entry.isLocal && entry.displayName) {
        announce(
          t('reactions.reacted', { name: entry.displayName, reaction: t(`reactions.${entry.reaction}`) }),
        );
      }
    });
    return () => {
      off();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [session]);
  const byParticipant = useMemo(() => {
    const out: Record<string, FloatingReaction[]> = {};
    for (const r of floating) (out[r.participantId] ??= []).push(r);
    return out;
  }, [floating]);
  const send = useCallback(
    (reaction: Reaction) => {
      session
        .react(reaction)
        .catch((err: unknown) =>
          onError(errorCode(err) === 'rate_limited' ? t('reactions.tooFast') : t('reactions.failed')),
        );
    },
    [session, onError],
  );
  return { floating, byParticipant, send };
}
