/**
 * Synchronous HTTP for the fake UrlFetchApp: Apps Script's `UrlFetchApp.fetch` blocks, Node has
 * no blocking fetch. A worker thread does the real `fetch`; the calling thread posts the request
 * and sleeps on `Atomics.wait` until the worker has posted the answer, then takes it with
 * `receiveMessageOnPort`. The servers it talks to must therefore not run on the calling thread
 * (the API runs in its own process, see test/support/api-server.ts).
 *
 * The worker can also serve fixed JSON documents over HTTP (`serveJson`), for servers the API must
 * reach while the calling thread is blocked, such as the stand-in for Google's JWKS endpoint.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface SyncHttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Abort after this long (Apps Script's own deadline is about 60 s). */
  timeoutMs: number;
  followRedirects: boolean;
}

export type SyncHttpAnswer =
  | { ok: true; status: number; headers: Record<string, string>; body: string }
  | { ok: false; error: string; timedOut: boolean };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const signal = new Int32Array(workerData.signal);
const port = workerData.port;
port.on('message', async (message) => {
  if (message.type === 'serve') {
    const server = http.createServer((request, response) => {
      const document = message.documents[request.url];
      if (document === undefined) { response.writeHead(404).end(); return; }
      response.writeHead(200, { 'content-type': 'application/json' }).end(document);
    });
    server.listen(0, '127.0.0.1', () => {
      port.postMessage({ type: 'served', id: message.id, port: server.address().port });
      Atomics.store(signal, 0, 1);
      Atomics.notify(signal, 0);
    });
    return;
  }
  const request = message.request;
  let answer;
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: request.followRedirects ? 'follow' : 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const headers = {};
    response.headers.forEach((value, name) => { headers[name] = value; });
    answer = { ok: true, status: response.status, headers, body: await response.text() };
  } catch (error) {
    const cause = error && error.cause ? ' (' + (error.cause.code || error.cause.message) + ')' : '';
    answer = { ok: false, error: String(error && error.message || error) + cause, timedOut: error && (error.name === 'TimeoutError' || error.name === 'AbortError') };
  }
  port.postMessage({ type: 'answer', id: message.id, answer });
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
parentPort.postMessage('ready');
`;

export class SyncHttp {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;

  constructor() {
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { signal: this.signal.buffer, port: channel.port2 }, transferList: [channel.port2] });
    this.worker.unref();
  }

  private exchange<T>(message: Record<string, unknown>, timeoutMs: number): T {
    const id = this.nextId++;
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage({ ...message, id });
    const deadline = Date.now() + timeoutMs + 5_000;
    for (;;) {
      const waited = Atomics.wait(this.signal, 0, 0, Math.max(1, deadline - Date.now()));
      const received = receiveMessageOnPort(this.port);
      if (received && received.message.id === id) return received.message;
      if (waited === 'timed-out' || Date.now() > deadline) throw new Error('sync HTTP worker did not answer');
      Atomics.store(this.signal, 0, 0);
    }
  }

  /** Blocks until the request is answered (or failed). */
  request(request: SyncHttpRequest): SyncHttpAnswer {
    return this.exchange<{ answer: SyncHttpAnswer }>({ type: 'request', request }, request.timeoutMs).answer;
  }

  /** Serves `documents` (path → JSON text) from the worker; returns the server's origin. */
  serveJson(documents: Record<string, string>): string {
    const { port } = this.exchange<{ port: number }>({ type: 'serve', documents }, 10_000);
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }
}
