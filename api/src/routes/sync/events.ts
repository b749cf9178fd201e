/**
 * GET /sync/events: the change feed as server-sent events. The stream sends what changed after
 * the client's cursor (`Last-Event-ID`, else `since`, else now), then waits for the brand's
 * commits (PostgreSQL NOTIFY through the process's change notifier) and sends those. It ends
 * after STREAM_SECONDS so the client reconnects with a token that is still valid.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { latestChangeSeq } from '@storesync/db';
import type { AppBindings } from '../../lib/types.ts';
import { readChanges } from './changes.ts';

/** Access tokens last 15 minutes: a stream never outlives the token that opened it by much. */
const STREAM_SECONDS = 15 * 60;
const HEARTBEAT_MS = 15_000;
const PAGE_SIZE = 500;

export function changeStream(c: Context<AppBindings>, brandId: string, cursor: bigint | undefined) {
  const { prisma, changeNotifier } = c.get('deps');
  const user = c.get('user');
  return streamSSE(c, async (stream) => {
    let since = cursor ?? (await latestChangeSeq(prisma, brandId));
    let wake: (() => void) | undefined;
    let pending = true; // look once at the start
    const unsubscribe = changeNotifier.subscribe(brandId, () => {
      pending = true;
      wake?.();
    });
    const deadline = Date.now() + STREAM_SECONDS * 1000;
    stream.onAbort(() => wake?.());
    try {
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ brand: brandId, cursor: since.toString() }), retry: 2_000 });
      while (!stream.aborted && Date.now() < deadline) {
        if (pending) {
          pending = false;
          for (;;) {
            const page = await readChanges(prisma, user, brandId, since, PAGE_SIZE);
            for (const change of page.changes) {
              await stream.writeSSE({ event: 'change', id: change.seq, data: JSON.stringify(change) });
            }
            since = BigInt(page.next_cursor);
            if (!page.has_more) break;
          }
          continue;
        }
        const woken = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), Math.min(HEARTBEAT_MS, Math.max(0, deadline - Date.now())));
          wake = () => {
            clearTimeout(timer);
            resolve(true);
          };
        });
        wake = undefined;
        if (!woken && !stream.aborted) await stream.write(': keep-alive\n\n');
      }
    } finally {
      unsubscribe();
    }
  });
}
