/** Grid geometry: how many columns make the biggest tiles of a given aspect ratio fit a box. */

export interface GridLayout {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
}

export function bestGrid(
  count: number,
  width: number,
  height: number,
  gap: number,
  aspect: number,
): GridLayout {
  let best: GridLayout = { columns: 1, rows: Math.max(count, 1), tileWidth: 0, tileHeight: 0 };
  if (count <= 0 || width <= 0 || height <= 0) return best;
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const maxWidth = (width - gap * (columns - 1)) / columns;
    const maxHeight = (height - gap * (rows - 1)) / rows;
    const tileWidth = Math.min(maxWidth, maxHeight * aspect);
    if (tileWidth > best.tileWidth) {
      best = { columns, rows, tileWidth: Math.floor(tileWidth), tileHeight: Math.floor(tileWidth / aspect) };
    }
  }
  return best;
}
