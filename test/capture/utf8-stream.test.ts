import { TextDecoder } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Utf8Stream } from '../../src/capture/utf8-stream.js';

/** What one streaming TextDecoder makes of the chunks: the text capture stored before Utf8Stream. */
function streamed(chunks: Uint8Array[]): string {
  const decoder = new TextDecoder();
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode();
}

function decoded(chunks: Uint8Array[]): string {
  const stream = new Utf8Stream();
  return chunks.map((chunk) => stream.decode(chunk)).join('') + stream.end();
}

/** `bytes` cut at every given offset. */
function cut(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const end of [...at, bytes.length]) {
    chunks.push(bytes.subarray(start, end));
    start = end;
  }
  return chunks;
}

const BOM = [0xef, 0xbb, 0xbf];
const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('Utf8Stream', () => {
  const bodies: [string, Uint8Array][] = [
    ['ascii JSON', text('{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"hello"}]}}')],
    ['two-, three- and four-byte characters', text('{"text":"Grüße aus Köln — 東京 🎉🚀 done"}')],
    ['a leading byte order mark', new Uint8Array([...BOM, ...text('{"a":"b"}')])],
    ['a byte order mark mid-body', new Uint8Array([...text('{"a":"'), ...BOM, ...text('"}')])],
    [
      'invalid bytes',
      new Uint8Array([0x7b, 0x80, 0xc3, 0x28, 0xe2, 0x82, 0x7d, 0xf0, 0x9f, 0x98, 0xff, 0x22]),
    ],
    ['a body cut inside its last character', new Uint8Array([...text('{"a":"é'), 0xe6, 0x9d])],
  ];

  it('decodes every split of a body as one streaming TextDecoder does (BOM, invalid and cut characters)', () => {
    for (const [, bytes] of bodies) {
      for (let a = 0; a <= bytes.length; a++) {
        for (let b = a; b <= bytes.length; b++) {
          const chunks = cut(bytes, [a, b]);
          expect(decoded(chunks), `${[...bytes]} cut at ${a}, ${b}`).toBe(streamed(chunks));
        }
      }
    }
  });

  it('decodes a body split into single bytes and a body sent whole alike', () => {
    for (const [name, bytes] of bodies) {
      const single = cut(
        bytes,
        Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
      );
      expect(decoded(single), name).toBe(streamed(single));
      expect(decoded([bytes]), name).toBe(streamed([bytes]));
    }
  });
});
