/**
 * The page's one stylesheet and one script, read once at start. Their URLs carry a hash of the
 * content, so browsers may keep them for a year and still get a new file after a change.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Asset {
  path: string;
  body: string;
  type: string;
}

function asset(file: string, type: string): Asset {
  const body = readFileSync(new URL(`./assets/${file}`, import.meta.url), 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const [name, extension] = file.split('.');
  return { path: `/approvals/assets/${name}.${hash}.${extension}`, body, type };
}

export const STYLESHEET = asset('approvals.css', 'text/css; charset=utf-8');
export const SCRIPT = asset('approvals.js', 'text/javascript; charset=utf-8');
export const ASSETS = [STYLESHEET, SCRIPT];
