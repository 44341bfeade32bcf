/** Which tiles the stage shows: one camera tile per person who sends (webinar attendees send nothing). */
import { useMemo } from 'react';
import type { SessionState } from '../../../src/client/types.js';
import type { TileModel } from '../components/VideoTile.js';

export function useTiles(
  state: SessionState,
  speaking: ReadonlySet<string>,
): { cameras: TileModel[]; screens: TileModel[] } {
  const { participants, remoteMedia, self, local, activeSpeakerId } = state;
  const webinar = state.meeting?.webinar === true;
  return useMemo(() => {
    const cameras: TileModel[] = [];
    const screens: TileModel[] = [];
    for (const p of participants) {
      if (webinar && p.role === 'attendee') continue;
      const media = remoteMedia[p.id];
      cameras.push({
        key: `${p.id}:camera`,
        participant: p,
        source: 'camera',
        stream: media?.camera ?? null,
        speaking: speaking.has(p.id),
        activeSpeaker: activeSpeakerId === p.id,
      });
      if (p.screenSharing || media?.screen) {
        screens.push({
          key: `${p.id}:screen`,
          participant: p,
          source: 'screen',
          stream: media?.screen ?? null,
          speaking: false,
        });
      }
    }
    if (self && self.role !== 'attendee') {
      cameras.push({
        key: `${self.id}:camera`,
        participant: self,
        source: 'camera',
        stream: local.camera,
        speaking: speaking.has(self.id),
        activeSpeaker: activeSpeakerId === self.id,
      });
      if (local.screenSharing && local.screen) {
        screens.push({
          key: `${self.id}:screen`,
          participant: self,
          source: 'screen',
          stream: local.screen,
          speaking: false,
        });
      }
    }
    return { cameras, screens };
  }, [participants, remoteMedia, self, local, activeSpeakerId, speaking, webinar]);
}
