import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';

describe('mcp-gateway mock arguments', () => {
  it('reads the source, the transport and the matching', () => {
    expect(parseCli(['mock', '--from', 'abc', '--stdio'])).toMatchObject({
      command: 'mock',
      options: {
        action: 'serve',
        from: 'abc',
        stdio: true,
        match: { kind: 'params', ignore: ['/_meta', '/cursor'] },
      },
    });
    expect(
      parseCli([
        'mock',
        '--from',
        'server:x',
        '--port',
        '4444',
        '--match',
        'ignore:/arguments/t',
        '--server',
        'x',
      ]),
    ).toMatchObject({
      options: {
        port: 4444,
        host: '127.0.0.1',
        server: 'x',
        match: { kind: 'params', ignore: ['/_meta', '/cursor', '/arguments/t'] },
      },
    });
    expect(parseCli(['mock', 'export', '--from', 'abc', '--out', 'f.json'])).toMatchObject({
      options: { action: 'export', out: 'f.json' },
    });
    expect(parseCli(['mock', '--help'])).toMatchObject({
      command: 'help',
      text: expect.stringContaining('mock export'),
    });
  });

  it('says what to type instead of a mistake', () => {
    expect(() => parseCli(['mock'])).toThrow('mock needs --from <session id | filter | fixture file>');
    expect(() => parseCli(['mock', 'export', '--from', 'a'])).toThrow('mock export needs --out <file>');
    expect(() => parseCli(['mock', '--from', 'a', '--out', 'f'])).toThrow('--out is for mock export');
    expect(() => parseCli(['mock', '--from', 'a', '--stdio', '--port', '1'])).toThrow('leave out --port');
    expect(() => parseCli(['mock', 'serve', '--from', 'a'])).toThrow('unexpected argument "serve"');
    expect(() => parseCli(['mock', '--from', 'a', '--match', 'ignore:x'])).toThrow('JSON Pointers');
    expect(() => parseCli(['mock', '--from', 'a', '--port', 'abc'])).toThrow();
  });
});
