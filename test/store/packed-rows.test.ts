import { describe, expect, it } from 'vitest';
import { RowPacker, RowReader } from '../../src/store/packed-rows.js';

function roundTrip(values: unknown[]): unknown[] {
  const packer = new RowPacker();
  for (const value of values) packer.add(value);
  const { buffer, length } = packer.take();
  const reader = new RowReader(buffer, length);
  const out: unknown[] = [];
  while (!reader.done) out.push(reader.next());
  return out;
}

describe('packed rows (capture worker → writer thread)', () => {
  it('gives back nulls, numbers and strings as they went in, in order', () => {
    const values = [
      null,
      0,
      -1,
      1.5,
      1_764_547_200_123.25,
      'tools/call',
      '',
      'Grüße, 東京 🎉',
      '{"a":"\\n"}',
      null,
    ];
    expect(roundTrip(values)).toEqual(values);
    expect(roundTrip([undefined])).toEqual([null]);
  });

  it('grows past its first buffer for a batch of large messages, and starts empty after take()', () => {
    const big = 'x'.repeat(300_000);
    const values = [big, 42, `${big}é`, null];
    const packer = new RowPacker();
    for (const value of values) packer.add(value);
    const first = packer.take();
    expect(packer.length).toBe(0);
    packer.add('next batch');
    const second = packer.take();
    const read = (taken: { buffer: ArrayBuffer; length: number }) => {
      const reader = new RowReader(taken.buffer, taken.length);
      const out: unknown[] = [];
      while (!reader.done) out.push(reader.next());
      return out;
    };
    expect(read(first)).toEqual(values);
    expect(read(second)).toEqual(['next batch']);
  });

  it('gives back a string with a lone surrogate (a summary clipped inside an emoji) as it was', () => {
    const clipped = `${'🎉'.repeat(3)}`.slice(0, 5);
    expect(roundTrip(['a\ud800b', clipped, '\udc00', 'after'])).toEqual([
      'a\ud800b',
      clipped,
      '\udc00',
      'after',
    ]);
  });

  it('refuses a value no column holds, naming its type', () => {
    expect(() => new RowPacker().add({ not: 'a column' })).toThrow(/an? object cannot be stored/);
  });
});
