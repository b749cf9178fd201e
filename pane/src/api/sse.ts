/**
 * Server-sent events over `fetch` streaming. The pane cannot use `EventSource`: it sends no
 * headers, and GET /sync/events needs the bearer token. This is the parser of the HTML standard's
 * "event stream interpretation" (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 *
 * - lines end in CRLF, LF or CR (a CR at the end of one chunk and the LF at the start of the next
 *   are one line end); a leading byte order mark is dropped;
 * - `event:`, `data:` (several are joined with `\n`), `id:` (ignored when it contains NUL, kept
 *   for the events after it as the last event id), `retry:` (digits only: the reconnection delay);
 *   one space after the colon is dropped; a line without a colon is a field with an empty value;
 *   unknown fields are ignored;
 * - a line starting with `:` is a comment (the server's keep-alive);
 * - a blank line dispatches the event, unless it has no data; an event cut off by the end of the
 *   stream is never dispatched.
 */

export interface SseEvent {
  /** `event:`, or `message` when the event named none. */
  type: string;
  data: string;
  /** The last `id:` seen so far in this stream (the spec's last event ID), `''` before any. */
  lastEventId: string;
}

export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** A valid `retry:` field: how long to wait before reconnecting, in ms. */
  onRetry?(milliseconds: number): void;
  /** A comment line (without its colon), e.g. the server's keep-alive. */
  onComment?(text: string): void;
}

const LINE_END = /\r\n|\r|\n/g;

export class SseParser {
  private buffer = '';
  private started = false;
  /** The previous chunk ended in CR: an LF at the start of the next one belongs to that line end. */
  private skipLineFeed = false;
  private data: string[] = [];
  private type = '';
  private lastEventId = '';

  constructor(private readonly handlers: SseHandlers) {}

  /** Feeds decoded text, as it arrives, in chunks of any size. */
  push(chunk: string): void {
    let text = chunk;
    if (this.skipLineFeed && text.length > 0) {
      if (text.startsWith('\n')) text = text.slice(1);
      this.skipLineFeed = false;
    }
    this.buffer += text;
    if (!this.started) {
      if (this.buffer.length === 0) return;
      if (this.buffer.startsWith('\uFEFF')) this.buffer = this.buffer.slice(1);
      this.started = true;
    }
    let start = 0;
    LINE_END.lastIndex = 0;
    for (let match = LINE_END.exec(this.buffer); match; match = LINE_END.exec(this.buffer)) {
      const end = match.index + match[0].length;
      // A CR as the last character may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && end === this.buffer.length) this.skipLineFeed = true;
      const line = this.buffer.slice(start, match.index);
      start = end;
      this.line(line);
    }
    this.buffer = this.buffer.slice(start);
  }

  /** The stream ended: whatever is not terminated by a blank line is dropped, as the spec says. */
  end(): void {
    this.buffer = '';
    this.data = [];
    this.type = '';
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) {
      this.handlers.onComment?.(line.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    switch (field) {
      case 'event':
        this.type = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      default:
      // Unknown fields are ignored.
    }
  }

  private dispatch(): void {
    const data = this.data;
    const type = this.type;
    this.data = [];
    this.type = '';
    if (data.length === 0) return;
    this.handlers.onEvent({ type: type || 'message', data: data.join('\n'), lastEventId: this.lastEventId });
  }
}

/**
 * Reads a response body into `parser` until the stream ends (resolves) or fails or is aborted
 * (rejects). `onChunk` is called for every chunk received, comments included, so a caller can
 * tell a quiet stream from a dead one.
 */
export async function readEventStream(body: ReadableStream<Uint8Array>, parser: SseParser, onChunk?: () => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk?.();
      // `stream: true`: a character split across two chunks is decoded once both have arrived.
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
    parser.end();
  } finally {
    // Frees the connection when we stop early (an exception in a handler); harmless once done.
    reader.cancel().catch(() => undefined);
  }
}
