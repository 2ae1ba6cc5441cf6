import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { EVENT_STORE_LIMITS, SessionEventStore } from '../../src/stdio/event-store.js';

const note = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/message',
  params: { n },
});

async function replay(store: SessionEventStore, after: string) {
  const sent: [string, JSONRPCMessage][] = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (id, message) => {
      sent.push([id, message]);
    },
  });
  return { stream, sent };
}

describe('the per-session event store used for resumption', () => {
  it('replays what came after the last event the client saw, on that stream only, without priming events', async () => {
    const store = new SessionEventStore();
    const priming = await store.storeEvent('post-1', {} as JSONRPCMessage);
    const first = await store.storeEvent('post-1', note(1));
    await store.storeEvent('_GET_stream', note(2));
    const third = await store.storeEvent('post-1', note(3));
    expect(await store.getStreamIdForEventId(first)).toBe('post-1');
    expect(await replay(store, priming)).toEqual({
      stream: 'post-1',
      sent: [
        [first, note(1)],
        [third, note(3)],
      ],
    });
    expect((await replay(store, first)).sent).toEqual([[third, note(3)]]);
  });

  it('forgets the oldest events past its bounds, and refuses to resume from a forgotten one', async () => {
    const store = new SessionEventStore();
    const oldest = await store.storeEvent('s', note(0));
    for (let i = 1; i <= EVENT_STORE_LIMITS.events; i++) await store.storeEvent('s', note(i));
    expect(await store.getStreamIdForEventId(oldest)).toBeUndefined();
    await expect(replay(store, oldest)).rejects.toThrow(/no longer kept/);

    // A message over the limit cannot be kept for redelivery: nothing before it can be resumed from either.
    const kept = await store.storeEvent('s', note(-2));
    const big = note(-1);
    store.sizeHint(big, EVENT_STORE_LIMITS.bytes + 1);
    await store.storeEvent('s', big);
    expect(await store.getStreamIdForEventId(kept)).toBeUndefined();
  });

  it('keeps the stores of all sessions of a server within one budget, and frees what an ended session held', async () => {
    const budget = { used: 0 };
    const stores = Array.from({ length: 20 }, () => new SessionEventStore(budget));
    const ids: string[] = [];
    for (const store of stores) {
      const message = note(ids.length);
      store.sizeHint(message, EVENT_STORE_LIMITS.bytes);
      ids.push(await store.storeEvent('s', message));
    }
    expect(budget.used).toBeLessThanOrEqual(EVENT_STORE_LIMITS.serverBytes);
    const kept = await Promise.all(stores.map((store, i) => store.getStreamIdForEventId(ids[i] as string)));
    expect(kept.filter(Boolean).length).toBe(EVENT_STORE_LIMITS.serverBytes / EVENT_STORE_LIMITS.bytes);
    for (const store of stores) store.clear();
    expect(budget.used).toBe(0);
  });
});
