/**
 * The meeting's video area. Without a shared screen: a grid whose tiles are as big as the space
 * allows for their count. With one: the screen large, the cameras in a strip beside (or below) it.
 */
import { useElementSize } from '../hooks.js';
import { bestGrid } from '../layout.js';
import { VideoTile, type TileModel } from './VideoTile.js';

const GAP = 10;

export function VideoStage({ cameras, screens }: { cameras: TileModel[]; screens: TileModel[] }) {
  const [ref, size] = useElementSize<HTMLDivElement>();
  const [stage, ...otherScreens] = screens;
  if (stage) {
    const strip = [...otherScreens, ...cameras];
    return (
      <div className="stage" ref={ref}>
        <div className="presenting">
          <div className="presenting-main">
            <VideoTile tile={stage} />
          </div>
          <div className="presenting-strip" aria-label="Participants">
            {strip.map((tile) => (
              <VideoTile key={tile.key} tile={tile} compact />
            ))}
          </div>
        </div>
      </div>
    );
  }
  const portrait = size.width > 0 && size.width < size.height * 0.85;
  // Phones held upright: tall tiles for one or two people, square ones for more.
  const aspect = portrait ? (cameras.length <= 2 ? 3 / 4 : 1) : 16 / 9;
  const grid = bestGrid(cameras.length, size.width, size.height, GAP, aspect);
  return (
    <div className="stage" ref={ref}>
      <div
        className="grid"
        data-count={cameras.length}
        style={{
          gridTemplateColumns: `repeat(${grid.columns}, ${grid.tileWidth}px)`,
          gridAutoRows: `${grid.tileHeight}px`,
          gap: GAP,
        }}
      >
        {grid.tileWidth > 0
          ? cameras.map((tile, index) => (
              <div
                key={tile.key}
                className="grid-cell"
                style={lastRowOffset(index, cameras.length, grid.columns, grid.tileWidth)}
              >
                <VideoTile tile={tile} />
              </div>
            ))
          : null}
      </div>
    </div>
  );
}

/** Centers an incomplete last row by shifting its cells by half a tile per missing tile. */
function lastRowOffset(index: number, count: number, columns: number, tileWidth: number) {
  const inLastRow = count - (count % columns || columns);
  const missing = columns - (count - inLastRow);
  if (missing <= 0 || index < inLastRow) return undefined;
  return { transform: `translateX(${(missing * (tileWidth + GAP)) / 2}px)` };
}
