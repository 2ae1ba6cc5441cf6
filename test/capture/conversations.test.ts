import { describe, expect, it } from 'vitest';
import { type ConversationClue, Conversations } from '../../src/capture/conversations.js';
import { traceIdOf } from '../../src/capture/message-meta.js';

const MINUTE = 60_000;
const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
const TRACE_B = '4bf92f3577b34da6a3ce929d0e0e4736';

function grouping(gapMs = 30 * MINUTE) {
  let next = 0;
  const conversations = new Conversations({ gapMs, newId: () => `conv-${++next}` });
  return (clue: Partial<ConversationClue> & { time: number }) =>
    conversations.assign({ server: 'srv', identity: 'app 1.0', traceId: null, ...clue });
}

describe('grouping sessionless requests into conversations', () => {
  it("keeps one client's requests together while they keep coming", () => {
    const assign = grouping();
    const ids = [0, 1, 5, 20, 45].map((minutes) => assign({ time: minutes * MINUTE }));
    expect(new Set(ids)).toEqual(new Set(['conv-1']));
  });

  it('starts a new conversation after a silence longer than the gap', () => {
    const assign = grouping(30 * MINUTE);
    expect(assign({ time: 0 })).toBe('conv-1');
    expect(assign({ time: 30 * MINUTE })).toBe('conv-1');
    expect(assign({ time: 61 * MINUTE })).toBe('conv-2');
  });

  it('counts messages in either direction as activity: a long subscription stream keeps its conversation', () => {
    let next = 0;
    const conversations = new Conversations({ gapMs: 30 * MINUTE, newId: () => `conv-${++next}` });
    const assign = (time: number) =>
      conversations.assign({ server: 'srv', identity: 'app 1.0', traceId: null, time });
    expect(assign(0)).toBe('conv-1');
    // Notifications on the listen stream every 20 minutes, and no request for two hours.
    for (let minutes = 20; minutes <= 120; minutes += 20) conversations.active('conv-1', minutes * MINUTE);
    expect(assign(125 * MINUTE)).toBe('conv-1');
    expect(assign(200 * MINUTE)).toBe('conv-2');
  });

  it('never puts two clients, or one client on two servers, in one conversation', () => {
    const assign = grouping();
    expect(assign({ time: 0, identity: 'app 1.0' })).toBe('conv-1');
    expect(assign({ time: 1, identity: 'other 2.0' })).toBe('conv-2');
    // The same name with other capabilities (or another version) is another client.
    expect(assign({ time: 2, identity: 'app 1.0 +sampling' })).toBe('conv-3');
    expect(assign({ time: 3, identity: 'app 1.0', server: 'elsewhere' })).toBe('conv-4');
    expect(assign({ time: 4, identity: 'app 1.0' })).toBe('conv-1');
  });

  it('splits by trace id: another trace is another conversation, and a trace returns to its own', () => {
    const assign = grouping();
    expect(assign({ time: 0, traceId: TRACE_A })).toBe('conv-1');
    // Untraced requests of the same client stay with its latest conversation.
    expect(assign({ time: 1 })).toBe('conv-1');
    expect(assign({ time: 2, traceId: TRACE_B })).toBe('conv-2');
    expect(assign({ time: 3, traceId: TRACE_A })).toBe('conv-1');
  });

  it('joins a trace after a long silence, where the gap alone would have split it', () => {
    const assign = grouping(30 * MINUTE);
    expect(assign({ time: 0, traceId: TRACE_A })).toBe('conv-1');
    expect(assign({ time: 3 * 60 * MINUTE, traceId: TRACE_A })).toBe('conv-1');
    expect(assign({ time: 3 * 60 * MINUTE + 1, traceId: TRACE_A, identity: 'intruder' })).toBe('conv-2');
  });

  it('forgets the least recently active conversations beyond its capacity', () => {
    let next = 0;
    const conversations = new Conversations({ capacity: 2, newId: () => `conv-${++next}` });
    const assign = (identity: string, time: number) =>
      conversations.assign({ server: 'srv', identity, traceId: null, time });
    assign('a', 0);
    assign('b', 1);
    assign('c', 2);
    expect(assign('b', 3)).toBe('conv-2');
    expect(assign('a', 4)).toBe('conv-4');
  });
});

describe('reading a W3C traceparent', () => {
  it('takes the trace id of a valid header and refuses malformed or all-zero ones', () => {
    expect(traceIdOf(`00-${TRACE_A}-00f067aa0ba902b7-01`)).toBe(TRACE_A);
    expect(traceIdOf(`00-${TRACE_A.toUpperCase()}-00f067aa0ba902b7-01`)).toBe(TRACE_A);
    expect(traceIdOf(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeNull();
    expect(traceIdOf('not a traceparent')).toBeNull();
    expect(traceIdOf(undefined)).toBeNull();
  });
});
