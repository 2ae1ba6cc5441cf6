import { describe, expect, it } from 'vitest';
import { type CapturedRecord, recordToJson, recordToSummaryJson } from '../../src/core/record.js';
import { pageText } from '../../src/store/read-text.js';
import { makeRecord } from '../helpers/records.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Records whose JSON is written in every way pageText must reproduce exactly. */
function records(): CapturedRecord[] {
  const big = 'x'.repeat(200_000);
  const deep = `${'['.repeat(300)}${']'.repeat(300)}`;
  const made: Partial<CapturedRecord>[] = [
    // A large ASCII body with a non-ASCII summary: the case pieces are written apart for.
    {
      message: JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: big }] } }),
      summary: 'tools/call → “read_file” …',
    },
    // Text that is not JSON, a body cut short, and a nesting deeper than the API parses: given as text.
    { message: '<html>Bad Gateway</html>', kind: 'other' },
    { message: '{"jsonrpc":"2.0","id":2,"result":{"text":"cut sh', truncated: true },
    { message: deep },
    // Non-ASCII and a lone surrogate inside the body, headers, an error and a shared store's instance.
    {
      message: JSON.stringify({ jsonrpc: '2.0', id: 3, error: { code: -32000, message: 'échec \ud800 🙂' } }),
      errorCode: -32000,
      errorMessage: 'échec',
      requestHeaders: { 'user-agent': 'client/1.0', accept: ['application/json', 'text/event-stream'] },
      instance: 'gw-b',
    },
  ];
  return made.map((overrides, index) => ({ ...makeRecord(overrides as never), ...overrides, id: index + 1 }));
}

describe('pageText', () => {
  it('writes exactly what JSON.stringify of recordToJson writes, as JSON and as JSON Lines', () => {
    const page = { records: records(), hasMore: false, nextCursor: null };
    expect(text(pageText(page, true, 'json').bytes)).toBe(JSON.stringify(page.records.map(recordToJson)));
    expect(text(pageText(page, true, 'jsonl').bytes)).toBe(
      page.records.map((record) => `${JSON.stringify(recordToJson(record))}\n`).join(''),
    );
    expect(text(pageText(page, false, 'json').bytes)).toBe(
      JSON.stringify(page.records.map(recordToSummaryJson)),
    );
    expect(text(pageText({ records: [], hasMore: false, nextCursor: null }, true, 'json').bytes)).toBe('[]');
  });

  it('gives each page a buffer of its own, which a reader thread can transfer', () => {
    const page = { records: records().slice(1, 2), hasMore: false, nextCursor: null };
    const bytes = pageText(page, true, 'json').bytes;
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
  });
});
