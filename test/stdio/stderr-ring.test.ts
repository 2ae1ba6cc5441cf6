import { describe, expect, it } from 'vitest';
import { StderrRing } from '../../src/stdio/stderr-ring.js';

describe('the stderr ring the processes of one server share', () => {
  it("quotes one process's own lines only, however much another wrote since", () => {
    const ring = new StderrRing(10);
    const push = (pid: number, line: string) => ring.push({ time: 0, line, truncated: false, pid });
    push(1, 'one: opened /home/alice/secret');
    push(1, 'one: about to crash');
    for (let i = 0; i < 5; i++) push(2, `two: line ${i}`);
    expect(ring.recentOf(1, 5).map((l) => l.line)).toEqual([
      'one: opened /home/alice/secret',
      'one: about to crash',
    ]);
    expect(ring.recentOf(2, 2).map((l) => l.line)).toEqual(['two: line 3', 'two: line 4']);
    expect(ring.recentOf(3, 5)).toEqual([]);
  });
});
