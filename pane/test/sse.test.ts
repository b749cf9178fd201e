import { describe, expect, it } from 'vitest';
import { readEventStream, SseParser, type SseEvent } from '../src/api/sse.ts';

function parse(chunks: string[]) {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  const parser = new SseParser({ onEvent: (event) => events.push(event), onRetry: (ms) => retries.push(ms), onComment: (text) => comments.push(text) });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { events, retries, comments };
}

/** A body that delivers `chunks` (bytes) one read at a time. */
function body(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

describe('the server-sent events parser', () => {
  it('reads the API’s stream: ready with retry, change events with ids, keep-alive comments', () => {
    const { events, retries, comments } = parse([
      'event: ready\ndata: {"brand":"b","cursor":"12"}\nretry: 2000\n\n',
      ': keep-alive\n\n',
      'event: change\nid: 13\ndata: {"seq":"13"}\n\n',
      'event: change\nid: 14\ndata: {"seq":"14"}\n\n',
    ]);
    expect(events).toEqual([
      { type: 'ready', data: '{"brand":"b","cursor":"12"}', lastEventId: '' },
      { type: 'change', data: '{"seq":"13"}', lastEventId: '13' },
      { type: 'change', data: '{"seq":"14"}', lastEventId: '14' },
    ]);
    expect(retries).toEqual([2000]);
    expect(comments).toEqual(['keep-alive']);
  });

  it('joins data lines, defaults the type to message and strips one space after the colon', () => {
    const { events } = parse(['data:first\ndata:  second\ndata\n\n']);
    expect(events).toEqual([{ type: 'message', data: 'first\n second\n', lastEventId: '' }]);
  });

  it('accepts CRLF, LF and CR line ends, also a CRLF split across two chunks', () => {
    const { events } = parse(['event: a\r\ndata: 1\r', '\n\r', '\nevent: b\rdata: 2\r\r', 'data: 3\n\n']);
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['message', '3'],
    ]);
  });

  it('reassembles lines and events cut anywhere, one character at a time', () => {
    const text = 'event: change\nid: 7\ndata: {"a":1}\n\n';
    const { events } = parse([...text]);
    expect(events).toEqual([{ type: 'change', data: '{"a":1}', lastEventId: '7' }]);
  });

  it('keeps the last id for the events after it, ignores an id with NUL, and a bad retry', () => {
    const { events, retries } = parse(['id: 5\ndata: a\n\n', 'data: b\n\n', 'id: 6\u0000\ndata: c\n\n', 'id\ndata: d\n\n', 'retry: soon\nretry: 1.5\n\n']);
    expect(events.map((event) => [event.data, event.lastEventId])).toEqual([
      ['a', '5'],
      ['b', '5'],
      ['c', '5'],
      ['d', ''],
    ]);
    expect(retries).toEqual([]);
  });

  it('dispatches nothing for an event without data, ignores unknown fields, and drops an event cut off by the end', () => {
    const { events } = parse(['event: ready\n\n', 'foo: bar\ndata: kept\n\n', 'event: change\ndata: never finished\n']);
    expect(events).toEqual([{ type: 'message', data: 'kept', lastEventId: '' }]);
  });

  it('drops a leading byte order mark, only at the start', () => {
    const { events } = parse(['\uFEFF', 'data: x\n\n\uFEFFdata: y\n\n']);
    expect(events.map((event) => event.data)).toEqual(['x']);
  });

  it('decodes UTF-8 split between chunks from a fetch body', async () => {
    const bytes = new TextEncoder().encode('event: change\ndata: {"name":"Café ☕ 北京"}\n\n');
    // Cut inside the multi-byte characters.
    const cuts = [3, 29, 31, 36, 38, bytes.length];
    const chunks = cuts.map((end, index) => bytes.slice(cuts[index - 1] ?? 0, end));
    const events: SseEvent[] = [];
    let reads = 0;
    await readEventStream(body(chunks), new SseParser({ onEvent: (event) => events.push(event) }), () => (reads += 1));
    expect(events).toEqual([{ type: 'change', data: '{"name":"Café ☕ 北京"}', lastEventId: '' }]);
    expect(reads).toBe(chunks.length);
  });

  it('rejects when the body breaks', async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: a\n\n'));
        controller.error(new TypeError('network error'));
      },
    });
    const events: SseEvent[] = [];
    await expect(readEventStream(broken, new SseParser({ onEvent: (event) => events.push(event) }))).rejects.toThrow('network error');
  });
});
