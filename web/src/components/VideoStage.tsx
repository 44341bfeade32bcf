/**
 * The meeting's video area (arranged by room/stageLayout.ts). A grid whose tiles are as big as the
 * space allows for their count; or one tile large (pinned, a shared screen, or the speaker) with the
 * others in a strip beside (or below) it. While you present, a banner replaces your own screen.
 */
import { useTranslation } from 'react-i18next';
import { useElementSize } from '../hooks.js';
import { bestGrid } from '../layout.js';
import type { Stage } from '../room/stageLayout.js';
import { GridIcon, ScreenShareIcon } from './Icons.js';
import { VideoTile, type TileActions } from './VideoTile.js';

const GAP = 10;

interface Props {
  stage: Stage;
  actions: TileActions;
  /** You are sharing your screen: show the banner with "Stop". */
  presenting: boolean;
  onStopPresenting: () => void;
  /** Someone shares: switch between the shared screen and the grid. */
  onScreensInGrid: (inGrid: boolean) => void;
  hiddenSelf: boolean;
  onShowSelf: () => void;
}

export function VideoStage({
  stage,
  actions,
  presenting,
  onStopPresenting,
  onScreensInGrid,
  hiddenSelf,
  onShowSelf,
}: Props) {
  const { t } = useTranslation();
  const [ref, size] = useElementSize<HTMLDivElement>();
  const overlay = (
    <>
      {presenting ? (
        <div className="presenting-banner" data-testid="presenting-banner" role="status">
          <ScreenShareIcon size={18} />
          <span className="presenting-banner-text">
            <strong>{t('room.presenting')}</strong>
            <span className="presenting-banner-hint">{t('room.presentingHint')}</span>
          </span>
          <button
            type="button"
            className="danger-button small"
            data-testid="presenting-stop"
            onClick={onStopPresenting}
          >
            {t('room.stopPresenting')}
          </button>
        </div>
      ) : null}
      <div className="stage-chips">
        {stage.mode === 'focus' && stage.reason === 'screen' ? (
          <button
            type="button"
            className="chip-button"
            data-testid="back-to-grid"
            onClick={() => onScreensInGrid(true)}
          >
            <GridIcon size={17} />
            <span>{t('tile.backToGrid')}</span>
          </button>
        ) : null}
        {stage.mode === 'grid' && stage.hasScreens ? (
          <button
            type="button"
            className="chip-button"
            data-testid="show-screen"
            onClick={() => onScreensInGrid(false)}
          >
            <ScreenShareIcon size={17} />
            <span>{t('tile.showScreen')}</span>
          </button>
        ) : null}
        {hiddenSelf ? (
          <button type="button" className="chip-button" data-testid="self-view-show" onClick={onShowSelf}>
            <span>{t('controls.showSelf')}</span>
          </button>
        ) : null}
      </div>
    </>
  );
  if (stage.mode === 'focus') {
    return (
      <section
        className="stage"
        ref={ref}
        aria-label={t('room.stage')}
        data-layout="focus"
        data-focus={stage.reason}
      >
        {overlay}
        <div className="presenting">
          <div className="presenting-main">
            <VideoTile tile={stage.main} actions={actions} />
          </div>
          {stage.strip.length > 0 ? (
            <div className="presenting-strip" role="group" aria-label={t('tile.participants')}>
              {stage.strip.map((tile) => (
                <VideoTile key={tile.key} tile={tile} compact actions={actions} />
              ))}
            </div>
          ) : null}
        </div>
      </section>
    );
  }
  const tiles = stage.tiles;
  const portrait = size.width > 0 && size.width < size.height * 0.85;
  // Phones held upright: tall tiles for one or two people, square ones for more.
  const aspect = portrait ? (tiles.length <= 2 ? 3 / 4 : 1) : 16 / 9;
  const grid = bestGrid(tiles.length, size.width, size.height, GAP, aspect);
  return (
    <section className="stage" ref={ref} aria-label={t('room.stage')} data-layout="grid">
      {overlay}
      <div
        className="grid"
        data-count={tiles.length}
        style={{
          gridTemplateColumns: `repeat(${grid.columns}, ${grid.tileWidth}px)`,
          gridAutoRows: `${grid.tileHeight}px`,
          gap: GAP,
        }}
      >
        {grid.tileWidth > 0
          ? tiles.map((tile, index) => (
              <div
                key={tile.key}
                className="grid-cell"
                style={lastRowOffset(index, tiles.length, grid.columns, grid.tileWidth)}
              >
                <VideoTile tile={tile} actions={actions} />
              </div>
            ))
          : null}
      </div>
    </section>
  );
}

/** Centers an incomplete last row by shifting its cells by half a tile per missing tile. */
function lastRowOffset(index: number, count: number, columns: number, tileWidth: number) {
  const inLastRow = count - (count % columns || columns);
  const missing = columns - (count - inLastRow);
  if (missing <= 0 || index < inLastRow) return undefined;
  return { transform: `translateX(${(missing * (tileWidth + GAP)) / 2}px)` };
}
