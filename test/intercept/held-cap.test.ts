import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/filter/parser.js';
import { Breakpoints } from '../../src/intercept/breakpoints.js';
import { MessageStage } from '../../src/intercept/stage.js';
import { stagedMessage } from '../../src/intercept/staged-message.js';

const call = (id: number) => {
  const value = { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: {} } };
  return stagedMessage(
    { server: 'alpha', direction: 'client_to_server', sessionId: 's', transport: 'http-json' },
    JSON.stringify(value),
    value,
  );
};

describe('held messages', () => {
  it('are capped: past the cap a matching message passes, and is counted', async () => {
    const breakpoints = new Breakpoints({ held: 1 });
    const stage = new MessageStage();
    stage.use(breakpoints);
    breakpoints.add(
      { filter: 'tool:echo', direction: null, timeoutMs: 60_000, onTimeout: 'forward', servers: null },
      parseFilter('tool:echo'),
    );
    const first = stage.run(call(1));
    expect(breakpoints.held()).toHaveLength(1);
    expect(await stage.run(call(2))).toEqual({ action: 'pass' });
    expect(breakpoints.passedOverCap).toBe(1);
    breakpoints.release(breakpoints.held()[0]?.id as number, { action: 'pass' }, 'forward');
    expect(await first).toEqual({ action: 'pass' });
  });

  it('fail when the gateway shuts down: nobody approved sending them on', async () => {
    const breakpoints = new Breakpoints();
    const stage = new MessageStage();
    stage.use(breakpoints);
    breakpoints.add(
      { filter: '', direction: null, timeoutMs: 60_000, onTimeout: 'forward', servers: null },
      parseFilter(''),
    );
    const held = stage.run(call(1));
    expect(breakpoints.releaseAll()).toBe(1);
    expect(await held).toMatchObject({ action: 'drop', reason: expect.stringMatching(/shut down/) });
  });

  it('end when their sender goes away', async () => {
    const breakpoints = new Breakpoints();
    const stage = new MessageStage();
    stage.use(breakpoints);
    breakpoints.add(
      { filter: '', direction: null, timeoutMs: 60_000, onTimeout: 'forward', servers: null },
      parseFilter(''),
    );
    const gone = new AbortController();
    const message = call(1);
    message.signal = gone.signal;
    const held = stage.run(message);
    gone.abort();
    expect(await held).toMatchObject({ action: 'drop' });
    expect(breakpoints.held()).toEqual([]);
  });
});
