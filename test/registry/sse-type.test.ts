import { describe, expect, it } from 'vitest';
import { parseServerEntry } from '../../src/registry/schema.js';

describe('legacy HTTP+SSE servers in mcp.json', () => {
  it.each([
    ['an explicit "type": "sse"', { type: 'sse', url: 'http://localhost:3001/events' }, 'sse'],
    ['a url ending in /sse', { url: 'http://localhost:3001/sse' }, 'sse'],
    ['a url ending in /sse/', { url: 'http://localhost:3001/sse/' }, 'sse'],
    ['a url ending in /mcp', { url: 'http://localhost:3001/mcp' }, 'http'],
    ['an explicit "http" whatever the url', { type: 'http', url: 'http://h/sse' }, 'http'],
  ])('%s gives type %s', (_what, entry, type) => {
    const result = parseServerEntry('legacy', entry);
    expect(result.ok && result.config.type).toBe(type);
  });

  it('checks an sse entry like an http one', () => {
    const result = parseServerEntry('legacy', { type: 'sse', url: 'ftp://nope' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join()).toContain('must be an http:// or https:// URL');
  });
});
