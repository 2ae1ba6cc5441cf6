import { describe, expect, it } from 'vitest';
import { jsonDraft } from '../../src/capture/draft.js';
import { mcpOperation } from '../../src/telemetry/mcp-operation.js';

function draft(value: unknown, overrides: { time: number; sessionId?: string | null; transport?: 'stdio' }) {
  const d = jsonDraft(
    {
      time: overrides.time,
      server: 'weather',
      sessionId: overrides.sessionId ?? null,
      direction: 'client_to_server',
      transport: overrides.transport ?? 'http-json',
      httpMethod: 'POST',
      httpStatus: 200,
    },
    value,
    JSON.stringify(value),
  );
  return d;
}

describe('an answered request in the terms of the MCP conventions', () => {
  it('names prompts by their prompt, and resources by their URI attribute only', () => {
    const prompt = draft(
      { jsonrpc: '2.0', id: 1, method: 'prompts/get', params: { name: 'review' } },
      { time: 1 },
    );
    const answer = draft({ jsonrpc: '2.0', id: 1, result: { messages: [] } }, { time: 2 });
    const op = mcpOperation(prompt, answer, null);
    expect(op?.name).toBe('prompts/get review');
    expect(op?.attributes['gen_ai.prompt.name']).toBe('review');
    expect(op?.attributes['gen_ai.operation.name']).toBeUndefined();
    const read = draft(
      { jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'file:///a.txt' } },
      { time: 1, transport: 'stdio' },
    );
    const readOp = mcpOperation(read, answer, null);
    expect(readOp?.name).toBe('resources/read');
    expect(readOp?.attributes['mcp.resource.uri']).toBe('file:///a.txt');
    expect(readOp?.attributes['network.transport']).toBe('pipe');
  });

  it('gives mcp.session.id for a transport session, never for 2026-07-28 traffic or a grouped conversation', () => {
    const answer = draft({ jsonrpc: '2.0', id: 1, result: {} }, { time: 2 });
    const call = (sessionId: string | null, version: string | null) => {
      const request = draft({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { time: 1, sessionId });
      request.record.protocolVersion = version;
      return mcpOperation(request, answer, null)?.attributes['mcp.session.id'];
    };
    expect(call('abc123', '2025-11-25')).toBe('abc123');
    expect(call('abc123', '2026-07-28')).toBeUndefined();
    expect(call('conv-1f2e', null)).toBeUndefined();
  });

  it('skips notifications and leaves no error on a plain result', () => {
    const note = draft({ jsonrpc: '2.0', method: 'notifications/initialized' }, { time: 1 });
    const answer = draft({ jsonrpc: '2.0', id: 1, result: {} }, { time: 2 });
    expect(mcpOperation(note, answer, null)).toBeNull();
  });
});
