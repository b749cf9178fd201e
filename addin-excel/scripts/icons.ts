/**
 * The StoreSync mark, drawn in code so the icons can be regenerated exactly: a blue rounded
 * square (lighter at the top) with a white "S" stroke made of two arcs. Every pixel is
 * supersampled (8 × 8 points), so edges are anti-aliased at 16 px as well as at 128 px.
 *
 * `npm run icons -w @storesync/addin-excel` writes addin-excel/assets/icon-<size>.png for every
 * size in {@link ICON_SIZES}; the manifest test checks the committed files still match.
 */

/** Ribbon sizes Office asks for (16, 32, 80 required; 20, 24, 40, 48, 64 optional), and 128 for listings. */
export const ICON_SIZES = [16, 20, 24, 32, 40, 48, 64, 80, 128] as const;

const SAMPLES = 8;
const TOP = [0x4c, 0x6e, 0xf5] as const; // #4C6EF5
const BOTTOM = [0x2f, 0x44, 0xb8] as const; // #2F44B8
const INSET = 0.03;
const CORNER = 0.2;
const RADIUS = 0.15; // of each bowl of the S
const STROKE = 0.13;

/** Signed distance from (x, y) to the rounded background square (negative inside). */
function backgroundDistance(x: number, y: number): number {
  const half = 0.5 - INSET;
  const qx = Math.abs(x - 0.5) - (half - CORNER);
  const qy = Math.abs(y - 0.5) - (half - CORNER);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - CORNER;
}

/** Distance from (x, y) to an arc around (cx, cy) of `radius` covering angles [from, to] (radians, y down). */
function arcDistance(x: number, y: number, cx: number, cy: number, radius: number, from: number, to: number): number {
  let angle = Math.atan2(y - cy, x - cx);
  while (angle < from) angle += 2 * Math.PI;
  if (angle <= to) return Math.abs(Math.hypot(x - cx, y - cy) - radius);
  const ends = [from, to].map((a) => Math.hypot(x - (cx + radius * Math.cos(a)), y - (cy + radius * Math.sin(a))));
  return Math.min(...ends);
}

const DEG = Math.PI / 180;

/** Distance from (x, y) to the centre line of the S: an upper bowl open to the right, a lower one open to the left. */
function sDistance(x: number, y: number): number {
  const upper = arcDistance(x, y, 0.5, 0.5 - RADIUS, RADIUS, 90 * DEG, 330 * DEG);
  const lower = arcDistance(x, y, 0.5, 0.5 + RADIUS, RADIUS, -90 * DEG, 150 * DEG);
  return Math.min(upper, lower);
}

/** RGBA pixels of the icon at `size` × `size`. */
export function renderIcon(size: number): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let inside = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < SAMPLES; sy += 1) {
        for (let sx = 0; sx < SAMPLES; sx += 1) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          if (backgroundDistance(x, y) > 0) continue;
          inside += 1;
          if (sDistance(x, y) <= STROKE / 2) {
            r += 255;
            g += 255;
            b += 255;
          } else {
            r += TOP[0] + (BOTTOM[0] - TOP[0]) * y;
            g += TOP[1] + (BOTTOM[1] - TOP[1]) * y;
            b += TOP[2] + (BOTTOM[2] - TOP[2]) * y;
          }
        }
      }
      const at = (py * size + px) * 4;
      if (inside === 0) continue; // transparent
      rgba[at] = Math.round(r / inside);
      rgba[at + 1] = Math.round(g / inside);
      rgba[at + 2] = Math.round(b / inside);
      rgba[at + 3] = Math.round((255 * inside) / (SAMPLES * SAMPLES));
    }
  }
  return rgba;
}
