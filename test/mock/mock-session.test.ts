import { describe, expect, it } from 'vitest';
import {
  FIXTURE_FORMAT,
  FIXTURE_VERSION,
  type Fixture,
  FixtureError,
  parseFixture,
} from '../../src/mock/fixture.js';
import { DEFAULT_MATCH, type MatchMode, parseMatchMode, Recordings } from '../../src/mock/matcher.js';
import { MockSession } from '../../src/mock/mock-session.js';

function fixture(exchanges: Fixture['exchanges'], handshake: Fixture['handshake'] = null): Fixture {
  return {
    format: FIXTURE_FORMAT,
    version: FIXTURE_VERSION,
    server: { name: 'demo', serverInfo: null, protocolVersion: null },
    source: { sessionId: 's1', filter: null, exportedAt: '2026-01-01T00:00:00.000Z' },
    handshake,
    exchanges,
  };
}

const call = (name: string, args: unknown, extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name, arguments: args, ...extra },
});

function session(f: Fixture, mode: MatchMode = DEFAULT_MATCH): MockSession {
  return new MockSession(f, new Recordings(f.exchanges, mode));
}

describe('MockSession', () => {
  const echo = fixture([
    {
      method: 'tools/call',
      params: { name: 'echo', arguments: { n: 1 } },
      result: { content: [{ type: 'text', text: 'first' }] },
    },
    {
      method: 'tools/call',
      params: { name: 'echo', arguments: { n: 1 } },
      result: { content: [{ type: 'text', text: 'second' }] },
    },
    {
      method: 'tools/call',
      params: { name: 'boom', arguments: {} },
      error: { code: -32000, message: 'it broke' },
    },
    { method: 'resources/list', params: { cursor: 'abc' }, result: { resources: [] } },
  ]);

  it('replays identical requests in recorded order, then repeats the last answer, under the client id', () => {
    const mock = session(echo);
    const texts = [1, 2, 3].map(
      () =>
        (mock.handle(call('echo', { n: 1 })) as { result: { content: { text: string }[] } }).result.content[0]
          ?.text,
    );
    expect(texts).toEqual(['first', 'second', 'second']);
    expect(mock.handle(call('echo', { n: 1 }))).toMatchObject({ jsonrpc: '2.0', id: 7 });
  });

  it('gives a recorded error as it was, and ignores _meta and cursors by default', () => {
    const mock = session(echo);
    expect(mock.handle(call('boom', {}, { _meta: { progressToken: 99 } }))).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32000, message: 'it broke' },
    });
    expect(
      mock.handle({ jsonrpc: '2.0', id: 'x', method: 'resources/list', params: { cursor: 'zzz' } }),
    ).toEqual({
      jsonrpc: '2.0',
      id: 'x',
      result: { resources: [] },
    });
  });

  it('matches exactly, by method only, or ignoring the pointers it is given', () => {
    const exact = session(echo, parseMatchMode('exact'));
    expect(exact.handle(call('boom', {}, { _meta: { progressToken: 1 } }))).toMatchObject({
      error: { code: -32602 },
    });
    const byMethod = session(echo, parseMatchMode('method'));
    expect(byMethod.handle(call('anything', { x: 1 }))).toMatchObject({
      result: { content: [{ text: 'first' }] },
    });
    const ignoring = session(echo, parseMatchMode('ignore:/arguments/n'));
    expect(ignoring.handle(call('echo', { n: 42 }))).toMatchObject({
      result: { content: [{ text: 'first' }] },
    });
    expect(() => parseMatchMode('ignore:arguments')).toThrow(/JSON Pointers/);
    expect(() => parseMatchMode('fuzzy')).toThrow(/exact, method, or ignore/);
  });

  it('accepts notifications and the client answers without a reply, answers ping, and explains a miss', () => {
    const mock = session(echo);
    expect(mock.handle({ jsonrpc: '2.0', method: 'notifications/initialized' })).toBeNull();
    expect(mock.handle({ jsonrpc: '2.0', id: 3, result: { roots: [] } })).toBeNull();
    expect(mock.handle({ jsonrpc: '2.0', id: 4, method: 'ping' })).toEqual({
      jsonrpc: '2.0',
      id: 4,
      result: {},
    });
    const miss = mock.handle({ jsonrpc: '2.0', id: 5, method: 'prompts/get', params: { name: 'p' } });
    expect(miss).toMatchObject({
      id: 5,
      error: {
        code: -32601,
        message: expect.stringContaining(
          'no recorded answer for prompts/get {"name":"p"}: nothing was recorded for prompts/get; recorded methods are tools/call, resources/list',
        ),
      },
    });
  });

  it('opens with the recorded server/discover answer for a 2026-07-28 recording, and refuses initialize clearly', () => {
    const discover = { supportedVersions: ['2026-07-28'], capabilities: { tools: {} } };
    const mock = session(fixture([], { method: 'server/discover', result: discover }));
    expect(mock.handle({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: {} })).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: discover,
    });
    expect(mock.handle({ jsonrpc: '2.0', id: 2, method: 'initialize', params: {} })).toMatchObject({
      error: { message: expect.stringContaining('the recording opens with server/discover') },
    });
  });
});

describe('parseFixture', () => {
  it('says what is wrong with a file that is no fixture, of another version, or damaged', () => {
    expect(() => parseFixture({ records: [] }, 'f.json')).toThrow(
      /f.json is not an mcp-gateway mock fixture/,
    );
    expect(() => parseFixture({ format: FIXTURE_FORMAT, version: 9 }, 'f.json')).toThrow(
      /version 9; this mcp-gateway reads version 1/,
    );
    const bad = {
      ...fixture([]),
      exchanges: [{ method: 'tools/call', result: {}, error: { code: 1, message: 'x' } }],
    };
    expect(() => parseFixture(bad, 'f.json')).toThrow(FixtureError);
    expect(() => parseFixture(bad, 'f.json')).toThrow(
      /damaged fixture: at exchanges.0, an exchange needs exactly one/,
    );
  });
});
