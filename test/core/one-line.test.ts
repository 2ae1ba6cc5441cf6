import { describe, expect, it } from 'vitest';
import { clipLine } from '../../src/core/one-line.js';

/**
 * What clipLine promises, the plain way: flatten the text's head with a regular expression, trim, then cut
 * (past twice `max`, the first twice `max` characters decide when they flatten to more than `max`).
 */
function expected(text: string, max: number): string {
  const collapse = (part: string) => part.replace(/\s+/g, ' ').trim();
  if (text.length > max * 2) {
    const flat = collapse(text.slice(0, max * 2));
    if (flat.length > max) return `${flat.slice(0, max - 1)}…`;
  }
  const head = text.slice(0, max * 8);
  const flat = collapse(head);
  return flat.length > max || head !== text ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A seeded generator, so that a failure repeats. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const PIECES = [
  'a',
  'word',
  'Ünïcödé',
  '…',
  ' ',
  '  ',
  '\n',
  '\t',
  '\u00a0',
  '\u2003',
  '\ufeff',
  'x'.repeat(30),
];

describe('clipLine', () => {
  it('collapses whitespace, trims, and cuts long text to max - 1 characters and "…"', () => {
    expect(clipLine('  echo(message:\n\n  hi)  ', 120)).toBe('echo(message: hi)');
    expect(clipLine('a'.repeat(200), 120)).toBe(`${'a'.repeat(119)}…`);
    expect(clipLine('short text', 5)).toBe('shor…');
    expect(clipLine('', 40)).toBe('');
    expect(clipLine('   ', 40)).toBe('');
  });

  it('returns a text that is already one short line as it is', () => {
    const text = 'tools/call echo(message: hi)';
    expect(clipLine(text, 120)).toBe(text);
  });

  it('gives what flattening the head with a regular expression gives, whatever the whitespace', () => {
    const next = random(7);
    for (let round = 0; round < 5000; round++) {
      const max = [5, 40, 120][round % 3] as number;
      let text = '';
      const pieces = Math.floor(next() * 80);
      for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(next() * PIECES.length)];
      expect(clipLine(text, max)).toBe(expected(text, max));
    }
  });
});
