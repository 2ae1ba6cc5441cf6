import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { defaultInstance } from '../../src/config/instance.js';
import { ConfigError, resolveConfig } from '../../src/config/options.js';

describe('--instance', () => {
  it('names the gateway from the flag, else MCP_GATEWAY_INSTANCE, else leaves it to <hostname>:<port>', () => {
    expect(resolveConfig({ instance: 'laptop-1' }, { MCP_GATEWAY_INSTANCE: 'ci' }).instance).toBe('laptop-1');
    expect(resolveConfig({}, { MCP_GATEWAY_INSTANCE: ' ci-runner ' }).instance).toBe('ci-runner');
    expect(resolveConfig({}, { MCP_GATEWAY_INSTANCE: '' }).instance).toBeNull();
    expect(resolveConfig({}, {}).instance).toBeNull();
    expect(defaultInstance(3333)).toBe(`${hostname()}:3333`);
  });

  it('is read from the command line', () => {
    const parsed = parseCli(['--instance', 'build-7']);
    expect(parsed.command === 'serve' && parsed.options.instance).toBe('build-7');
  });

  it('refuses an empty, over-long or control-character name with the source and the fix', () => {
    expect(() => resolveConfig({ instance: ' ' }, {})).toThrow(ConfigError);
    expect(() => resolveConfig({ instance: 'x'.repeat(101) }, {})).toThrow(/1 to 100 printable characters/);
    expect(() => resolveConfig({}, { MCP_GATEWAY_INSTANCE: 'a\nb' })).toThrow(
      // The newline is shown escaped, on one line.
      'MCP_GATEWAY_INSTANCE "a\\nb" is not an instance name',
    );
  });
});
