/**
 * Writes addin-excel/assets/icon-<size>.png for every size the manifest and listings use.
 * Run with `npm run icons -w @storesync/addin-excel` after changing the mark in icons.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ICON_SIZES, renderIcon } from './icons.ts';
import { encodePng } from './png.ts';

const assets = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');
mkdirSync(assets, { recursive: true });
for (const size of ICON_SIZES) {
  const file = join(assets, `icon-${size}.png`);
  const png = encodePng(size, size, renderIcon(size));
  writeFileSync(file, png);
  console.log(`${file}: ${size}x${size}, ${png.length} bytes`);
}
