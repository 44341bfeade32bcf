/**
 * What the stage shows, from the tiles and the local view choices: a grid, or one tile large with the
 * others in a strip. A pinned tile (local only) wins; then the host's spotlight (for everyone); then a
 * remote shared screen (unless the user went back to the grid); then, in speaker view, the active
 * speaker. The presenter never gets a mirror of
 * their own screen (the room shows a "You are presenting" banner instead).
 */
import type { TileModel } from '../components/VideoTile.js';

export type Layout = 'tiles' | 'speaker';

export interface StageChoices {
  layout: Layout;
  pinnedKey: string | null;
  hideSelf: boolean;
  /** The user chose the grid while someone shares a screen. */
  screensInGrid: boolean;
  activeSpeakerId: string | null;
  /** The participant a host spotlighted for everyone (meeting.spotlight), or null. */
  spotlightId: string | null;
}

export type Stage =
  | { mode: 'grid'; tiles: TileModel[]; hasScreens: boolean }
  | {
      mode: 'focus';
      main: TileModel;
      strip: TileModel[];
      reason: 'pinned' | 'spotlight' | 'screen' | 'speaker';
    };

export function arrangeStage(
  cameras: readonly TileModel[],
  screens: readonly TileModel[],
  choices: StageChoices,
): Stage {
  const remoteScreens = screens.filter((s) => !s.participant.isLocal);
  const visibleCameras =
    choices.hideSelf && cameras.length > 1 ? cameras.filter((c) => !c.participant.isLocal) : [...cameras];
  const all = [...remoteScreens, ...visibleCameras];
  const pinned = choices.pinnedKey ? all.find((t) => t.key === choices.pinnedKey) : undefined;
  if (pinned)
    return { mode: 'focus', main: pinned, strip: all.filter((t) => t !== pinned), reason: 'pinned' };
  // A spotlighted camera shows even when it is your own hidden self-view: the host chose it for everyone.
  const spot = choices.spotlightId
    ? cameras.find((c) => c.participant.id === choices.spotlightId)
    : undefined;
  if (spot) return { mode: 'focus', main: spot, strip: all.filter((t) => t !== spot), reason: 'spotlight' };
  const screen = remoteScreens[0];
  if (screen && !choices.screensInGrid) {
    return { mode: 'focus', main: screen, strip: all.filter((t) => t !== screen), reason: 'screen' };
  }
  if (choices.layout === 'speaker' && visibleCameras.length > 1) {
    const remote = visibleCameras.filter((c) => !c.participant.isLocal);
    const main =
      remote.find((c) => c.participant.id === choices.activeSpeakerId) ?? remote[0] ?? visibleCameras[0];
    if (main) return { mode: 'focus', main, strip: all.filter((t) => t !== main), reason: 'speaker' };
  }
  return { mode: 'grid', tiles: all, hasScreens: remoteScreens.length > 0 };
}
