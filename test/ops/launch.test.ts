import { describe, expect, it } from 'vitest';
import { launchText, launchToApprove } from '../../src/ops/launch.js';
import type { ServerConfig } from '../../src/registry/schema.js';

const stdio = (extra: Partial<Extract<ServerConfig, { type: 'stdio' }>> = {}): ServerConfig => ({
  type: 'stdio',
  command: 'npx',
  args: ['-y', 'server'],
  ...extra,
});

describe("which launches need the owner's consent", () => {
  it('every new stdio server, never an http one', () => {
    expect(launchToApprove(stdio())?.commandLine).toBe('npx -y server');
    expect(launchToApprove({ type: 'http', url: 'http://localhost:1/mcp' })).toBeNull();
  });

  it('a changed command, argument, environment value or working directory; not a timeout', () => {
    const current = stdio({ env: { TOKEN: 'a' }, cwd: '/srv' });
    expect(launchToApprove(stdio({ env: { TOKEN: 'a' }, cwd: '/srv', timeout: 5000 }), current)).toBeNull();
    expect(
      launchToApprove(stdio({ command: 'node', env: { TOKEN: 'a' }, cwd: '/srv' }), current),
    ).not.toBeNull();
    expect(
      launchToApprove(stdio({ args: ['-y', 'other'], env: { TOKEN: 'a' }, cwd: '/srv' }), current),
    ).not.toBeNull();
    expect(launchToApprove(stdio({ env: { TOKEN: 'a' } }), current)).not.toBeNull();
    const envChanged = launchToApprove(stdio({ env: { TOKEN: 'b' }, cwd: '/srv' }), current);
    expect(envChanged?.changedEnv).toEqual(['TOKEN']);
    expect(launchToApprove(stdio(), { type: 'http', url: 'http://localhost:1/mcp' })?.replaces).toBeNull();
  });

  it('shows the line a shell would run, quoted, with env names but never their values', () => {
    const launch = launchToApprove(
      stdio({
        command: '/bin/sh',
        args: ['-c', "touch '/tmp/x y'; rm -rf ~"],
        env: { API_KEY: 'sk-secret' },
      }),
    );
    const text = launchText(launch ?? (null as never));
    expect(text).toContain(`Command line: /bin/sh -c 'touch '"'"'/tmp/x y'"'"'; rm -rf ~'`);
    expect(text).toContain('Environment variables set: API_KEY');
    expect(text).not.toContain('sk-secret');
  });
});
