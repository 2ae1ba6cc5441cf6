import { describe, expect, it } from 'vitest';
import { MAX_METHODS_PER_SERVER, OperationTally } from '../../src/telemetry/operation-tally.js';

describe('the counts shipped for /metrics', () => {
  it('are deltas: taken once, then empty until something new is counted', () => {
    const tally = new OperationTally();
    tally.answered('a', 'tools/call', 0.015, null);
    tally.answered('a', 'tools/call', 7, 'tool_error');
    tally.session('a');
    const delta = tally.take();
    expect(delta?.operations).toEqual([
      {
        server: 'a',
        method: 'tools/call',
        requests: 2,
        errors: { tool_error: 1 },
        // 0.015 s falls in le=0.02 (index 1), 7 s in le=10 (index 9).
        buckets: [0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        seconds: 7.015,
      },
    ]);
    expect(delta?.sessions).toEqual({ a: 1 });
    expect(tally.take()).toBeNull();
  });

  it('counts methods past the limit per server as _OTHER, so invented names cannot grow the series', () => {
    const tally = new OperationTally();
    for (let i = 0; i < MAX_METHODS_PER_SERVER + 50; i++)
      tally.answered('a', `invented/${i}`, 0.001, '-32601');
    const methods = new Set(tally.take()?.operations.map((op) => op.method));
    expect(methods.size).toBe(MAX_METHODS_PER_SERVER + 1);
    expect(methods.has('_OTHER')).toBe(true);
    tally.answered('a', 'invented/0', 0.001, null);
    expect(tally.take()?.operations[0]?.method).toBe('invented/0');
  });
});
