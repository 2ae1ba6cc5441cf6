import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { connectUrl } from '../../src/cli/connect.js';
import { nameFromCommand } from '../../src/cli/wrap-name.js';

describe('command line of wrap and connect', () => {
  it('takes everything after "--" as the server command, its own options included', () => {
    expect(
      parseCli(['wrap', '--name', 'mem', '--', 'npx', '-y', '@modelcontextprotocol/server-memory']),
    ).toEqual({
      command: 'wrap',
      options: {
        name: 'mem',
        storageDir: undefined,
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
      },
    });
  });

  it('also takes the command without "--", from the first word that is not a wrap option', () => {
    expect(parseCli(['wrap', '--storage-dir=/tmp/x', 'uvx', 'mcp-server-fetch', '--verbose'])).toEqual({
      command: 'wrap',
      options: {
        name: undefined,
        storageDir: '/tmp/x',
        command: 'uvx',
        args: ['mcp-server-fetch', '--verbose'],
      },
    });
  });

  it('refuses a wrap without a command, or with a name that cannot be a server name, saying what to do', () => {
    expect(() => parseCli(['wrap', '--'])).toThrow(
      /wrap needs the server command, e.g. mcp-gateway wrap -- npx/,
    );
    expect(() => parseCli(['wrap', '--name', 'My Server', '--', 'x'])).toThrow(/for example "my-server"/);
    expect(() => parseCli(['wrap', '--verbose', '--', 'x'])).toThrow(/unknown option "--verbose"/);
  });

  it('parses connect with a server name and either --url or --port', () => {
    expect(parseCli(['connect', 'everything', '--port', '4444'])).toMatchObject({
      command: 'connect',
      options: { name: 'everything', port: '4444' },
    });
    expect(() => parseCli(['connect'])).toThrow(/exactly one server name/);
    expect(() => parseCli(['connect', 'a', '--url', 'http://x', '--port', '1'])).toThrow(
      /either --url or --host\/--port/,
    );
  });

  it('shows the help of a command', () => {
    expect(parseCli(['wrap', '--help'])).toMatchObject({
      command: 'help',
      text: expect.stringContaining('mcp-gateway wrap'),
    });
    expect(parseCli(['connect', '-h'])).toMatchObject({
      command: 'help',
      text: expect.stringContaining('mcp-gateway connect'),
    });
  });

  it('forwards connect to /s/<name>/mcp of the gateway', () => {
    expect(connectUrl({ name: 'remote' }, {}).href).toBe('http://localhost:3333/s/remote/mcp');
    expect(connectUrl({ name: 'remote' }, { MCP_GATEWAY_PORT: '4000' }).href).toBe(
      'http://localhost:4000/s/remote/mcp',
    );
    expect(connectUrl({ name: 'remote', url: 'http://127.0.0.1:5000/' }).href).toBe(
      'http://127.0.0.1:5000/s/remote/mcp',
    );
    expect(connectUrl({ name: 'remote', url: 'http://127.0.0.1:5000/servers/remote/mcp' }).href).toBe(
      'http://127.0.0.1:5000/servers/remote/mcp',
    );
  });
});

describe('the server name wrap derives from the command', () => {
  it.each([
    [['npx', '-y', '@modelcontextprotocol/server-memory'], 'server-memory'],
    [['npx', '-y', '@scope/pkg@1.2.3'], 'pkg'],
    [['uvx', 'mcp-server-fetch'], 'mcp-server-fetch'],
    [['python', '-m', 'mcp_server_time'], 'mcp_server_time'],
    [['docker', 'run', '-i', '--rm', '-e', 'TOKEN=1', 'mcp/github'], 'github'],
    [['node', '/home/me/weather-server/build/index.js'], 'weather-server'],
    [['/opt/My Tools/Search.exe'], 'search'],
    [['pnpm', 'dlx', 'foo-mcp'], 'foo-mcp'],
  ])('%j → %s', ([command, ...args], expected) => {
    expect(nameFromCommand(command as string, args)).toBe(expected);
  });
});
