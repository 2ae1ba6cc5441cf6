import { describe, expect, it } from 'vitest';
import { type StderrBlock, StderrBlocks } from '../../src/stdio/stderr-blocks.js';

const limits = { quietMs: 10, maxBytes: 64, maxLines: 5 };

function blocks(): { grouper: StderrBlocks; seen: StderrBlock[] } {
  const seen: StderrBlock[] = [];
  return {
    grouper: new StderrBlocks(
      (block) => seen.push(block),
      limits,
      () => 1000,
    ),
    seen,
  };
}

describe('stderr blocks', () => {
  it('joins lines written together into one block once the stream is quiet', async () => {
    const { grouper, seen } = blocks();
    for (const line of ['Error: boom', '    at a (x.js:1:1)', '    at b (x.js:2:2)'])
      grouper.line(line, false);
    expect(seen).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen).toEqual([
      { time: 1000, truncated: false, text: 'Error: boom\n    at a (x.js:1:1)\n    at b (x.js:2:2)' },
    ]);
  });

  it('drops blank lines at the edges and records nothing for a block of blank lines', () => {
    const { grouper, seen } = blocks();
    grouper.line('', false);
    grouper.line('  ', false);
    grouper.flush();
    grouper.line('', false);
    grouper.line('first', false);
    grouper.line('', false);
    grouper.line('second', false);
    grouper.line('', false);
    grouper.flush();
    expect(seen.map((b) => b.text)).toEqual(['first\n\nsecond']);
  });

  it('cuts a block at its line and byte limits, so one record stays bounded', () => {
    const { grouper, seen } = blocks();
    for (let i = 0; i < 7; i++) grouper.line(`line ${i}`, false);
    grouper.flush();
    expect(seen.map((b) => b.text.split('\n').length)).toEqual([5, 2]);
    seen.length = 0;
    grouper.line('x'.repeat(40), false);
    grouper.line('y'.repeat(40), true);
    grouper.flush();
    expect(seen.map((b) => [b.text.length, b.truncated])).toEqual([
      [40, false],
      [40, true],
    ]);
  });
});
