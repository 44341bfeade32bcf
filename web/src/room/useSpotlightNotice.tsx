/** Tells everyone, with a toast and the live region, when the host's spotlight moves or ends. */
import { useEffect, useRef } from 'react';
import type { SessionState } from '../../../src/client/types.js';
import { SpotlightIcon } from '../components/Icons.js';
import type { PushToast } from '../components/Toasts.js';
import { t } from '../i18n/index.js';
import { announce } from './announcer.js';

export function useSpotlightNotice(state: SessionState, push: PushToast): void {
  const spotlight = state.meeting?.spotlight ?? null;
  const previous = useRef(spotlight);
  const names = useRef(new Map<string, { name: string; local: boolean }>());
  names.current = new Map(
    [...(state.self ? [state.self] : []), ...state.participants].map((p) => [
      p.id,
      { name: p.displayName, local: p.isLocal },
    ]),
  );
  useEffect(() => {
    if (spotlight === previous.current) return;
    previous.current = spotlight;
    const who = spotlight ? names.current.get(spotlight) : undefined;
    if (spotlight && !who) return;
    const text = who
      ? who.local
        ? t('spotlight.onYou')
        : t('spotlight.on', { name: who.name })
      : t('spotlight.off');
    announce(text);
    push({ icon: <SpotlightIcon size={20} />, text, group: 'spotlight' });
  }, [spotlight, push]);
}
