import { describe, expect, it } from 'vitest';
import { type DraftContext, jsonDraft } from '../../src/capture/draft.js';
import { redactListener } from '../../src/capture/listeners/redact.js';
import { DEFAULT_CAPTURE_POLICY } from '../../src/capture/policy.js';

const context: DraftContext = {
  time: 1,
  server: 'alpha',
  sessionId: 's',
  direction: 'client_to_server',
  transport: 'http-json',
  httpMethod: 'POST',
  httpStatus: null,
  requestHeaders: { 'x-trace': 'xoxb-1234567890-abcdefghij' },
};

function draftOf(value: Record<string, unknown>) {
  return jsonDraft(context, value, JSON.stringify(value));
}

describe('the redact listener', () => {
  it('rewrites the parsed value and the stored text together, and counts', () => {
    const draft = draftOf({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { arguments: { token: 'abc123' } },
    });
    redactListener(DEFAULT_CAPTURE_POLICY).message?.(draft);
    expect(draft.record.message).toBe(
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{"token":"[REDACTED:token]"}}}',
    );
    expect(draft.value).toEqual(JSON.parse(draft.record.message));
    expect(draft.record.requestHeaders).toEqual({ 'x-trace': '[REDACTED:slack_token]' });
    expect(draft.record.redactions).toBe(2);
  });

  it('follows a new policy from configure()', () => {
    const listener = redactListener(DEFAULT_CAPTURE_POLICY);
    listener.configure?.({ redaction: { ...DEFAULT_CAPTURE_POLICY.redaction, enabled: false } });
    const draft = draftOf({ jsonrpc: '2.0', id: 1, method: 'x', params: { password: 'hunter2' } });
    listener.message?.(draft);
    expect(draft.record.message).toContain('hunter2');
  });

  it('stores nothing of a message it failed to redact, and reports the failure', () => {
    const params = { password: 'hunter2' };
    const value = { jsonrpc: '2.0', id: 1, method: 'x', params };
    const draft = draftOf(value);
    // A value that cannot be read stands for any failure inside redaction.
    Object.defineProperty(params, 'password', {
      enumerable: true,
      get() {
        throw new Error('unreadable');
      },
    });
    expect(() => redactListener(DEFAULT_CAPTURE_POLICY).message?.(draft)).toThrow('unreadable');
    expect(draft.record.message).not.toContain('hunter2');
    expect(draft.record.message).toContain('redaction failed');
    expect(draft.record.requestHeaders).toBeNull();
    expect(draft.value).toBeUndefined();
  });
});
