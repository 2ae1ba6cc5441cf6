import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/stdio/line-splitter.js';

function splitter(max: number) {
  const seen: string[] = [];
  const lines = new LineSplitter(max, {
    line: (line) => seen.push(`line:${line}`),
    overflow: (head) => seen.push(`cut:${head.length}:${head.toString().slice(0, 3)}`),
    overflowEnd: (total, tail) => seen.push(`end:${total}:${tail.toString()}`),
  });
  return { lines, seen };
}

describe('newline framing of stdio streams', () => {
  it('splits lines wherever the chunks break, and drops the CR of CRLF', () => {
    const { lines, seen } = splitter(100);
    for (const chunk of ['{"a":', '1}\n{"b":2}\r\n{"c"', ':3}\n\n']) lines.push(Buffer.from(chunk));
    expect(seen).toEqual(['line:{"a":1}', 'line:{"b":2}', 'line:{"c":3}', 'line:']);
  });

  it('keeps a multi-byte character split across chunks whole', () => {
    const { lines, seen } = splitter(100);
    const bytes = Buffer.from('"héllo ✓"\n');
    lines.push(bytes.subarray(0, 3));
    lines.push(bytes.subarray(3, 9));
    lines.push(bytes.subarray(9));
    expect(seen).toEqual(['line:"héllo ✓"']);
  });

  it('cuts a line that outgrows the limit, skips to its end, reports its size and last bytes, then goes on', () => {
    const { lines, seen } = splitter(10);
    lines.push(Buffer.from('abcdefgh'));
    lines.push(Buffer.from('ijklmnop'));
    expect(seen).toEqual(['cut:10:abc']);
    lines.push(Buffer.from('qrs"id":7}\nnext\n'));
    expect(seen).toEqual(['cut:10:abc', 'end:26:abcdefghijklmnopqrs"id":7}', 'line:next']);
  });

  it('cuts a long line that arrives whole in one chunk', () => {
    const { lines, seen } = splitter(4);
    lines.push(Buffer.from('0123456789\nok\n'));
    expect(seen).toEqual(['cut:4:012', 'end:10:0123456789', 'line:ok']);
  });

  it('hands over a last line without a newline when the stream ends', () => {
    const { lines, seen } = splitter(100);
    lines.push(Buffer.from('one\ntwo'));
    lines.end();
    expect(seen).toEqual(['line:one', 'line:two']);
  });

  it('drops the CR of a CRLF that arrives in a chunk of its own', () => {
    const { lines, seen } = splitter(100);
    for (const chunk of ['{"a":', '1}\r', '\n']) lines.push(Buffer.from(chunk));
    expect(seen).toEqual(['line:{"a":1}']);
  });

  it('reports only the first bytes of a cut line when asked to, whatever the limit', () => {
    const seen: string[] = [];
    const lines = new LineSplitter(
      1000,
      {
        line: (line) => seen.push(`line:${line}`),
        overflow: (head) => seen.push(`cut:${head.toString()}`),
        overflowEnd: (total, tail) => seen.push(`end:${total}:${tail.toString()}`),
      },
      12,
    );
    lines.push(Buffer.from('{"id":7,"res'));
    lines.push(Buffer.from(`ult":"${'z'.repeat(600)}`));
    lines.push(Buffer.from(`${'z'.repeat(600)}"}\nok\n`));
    expect(seen).toEqual(['cut:{"id":7,"res', `end:1220:${'z'.repeat(254)}"}`, 'line:ok']);
  });
});
