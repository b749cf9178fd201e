/**
 * A misbehaving bulk-import worker for the pool's tests: the upload's file name says what to do
 * (`exit`: the thread exits; `throw`: an uncaught error; `hang`: a busy loop; `slow`: 400 ms of
 * work, then a normal answer; `internal`: reports an unexpected error).
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './import-protocol.ts';

const port = parentPort;
if (!port) throw new Error('a worker thread');

function busy(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // on purpose: CPU work
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type !== 'start') return;
  const { id, filename } = message;
  const send = (reply: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
  switch (filename) {
    case 'exit.csv':
      process.exit(3);
      break;
    case 'throw.csv':
      setTimeout(() => {
        throw new Error('boom in the worker');
      });
      break;
    case 'hang.csv':
      busy(60_000);
      break;
    case 'internal.csv':
      send({ type: 'failed', id, failure: { kind: 'internal', message: 'unexpected state' } });
      break;
    default: {
      busy(filename === 'slow.csv' ? 400 : 0);
      const body = new TextEncoder().encode('ok').buffer;
      send(
        {
          type: 'done',
          id,
          answer: {
            kind: 'locations',
            counts: { created: 0, updated: 0, unchanged: 0, conflict: 0, error: 0 },
            results: [],
            warnings: [],
            file: { format: 'csv', sheetName: 'x' },
            body,
          },
        },
        [body],
      );
    }
  }
});
