// biome-ignore-all lint/suspicious/noTemplateCurlyInString: references are written as ${...} in plain strings
import { describe, expect, it } from 'vitest';
import { expandReferences, type ReferenceSources } from '../../src/secrets/references.js';
import { resolveServerConfig } from '../../src/secrets/resolve-config.js';

const sources = (env: Record<string, string>, secrets: Record<string, string> = {}): ReferenceSources => ({
  env: (name) => env[name],
  secret: (name) => secrets[name],
});

describe('references', () => {
  it.each([
    ['${HOST}/mcp', 'api.example.com/mcp'],
    ['${env:HOST}', 'api.example.com'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${HOST:-fallback}', 'api.example.com'],
    ['Bearer ${secret:TOKEN}', 'Bearer t0k3n'],
    ['${EMPTY}', ''],
    ['no reference, ${ unclosed', 'no reference, ${ unclosed'],
    ['$HOST stays', '$HOST stays'],
  ])('%s → %s', (text, expected) => {
    expect(
      expandReferences(text, sources({ HOST: 'api.example.com', EMPTY: '' }, { TOKEN: 't0k3n' })),
    ).toEqual({ ok: true, value: expected });
  });

  it('names what is missing, and how to fix it', () => {
    expect(expandReferences('${GITHUB_TOKEN}', sources({}))).toEqual({
      ok: false,
      problem:
        "env var GITHUB_TOKEN is not set: set it in the gateway's environment, or use ${GITHUB_TOKEN:-default}",
    });
    expect(expandReferences('${secret:API}', sources({}))).toMatchObject({
      ok: false,
      problem: expect.stringContaining('secret API is not set: store it with "mcp-gateway secret set API"'),
    });
    expect(expandReferences('${input:pat}', sources({}))).toMatchObject({
      ok: false,
      problem: expect.stringContaining('"${input:pat}" is not a reference the gateway knows'),
    });
  });

  it('fills in a whole entry, says which field failed, and checks the URL it makes', () => {
    const entry = {
      type: 'stdio' as const,
      command: 'server',
      args: ['--region', '${REGION}'],
      env: { KEY: '${secret:KEY}' },
      cwd: '${HOME}/work',
    };
    expect(resolveServerConfig(entry, sources({ REGION: 'eu', HOME: '/home/me' }, { KEY: 'k' }))).toEqual({
      ok: true,
      config: { ...entry, args: ['--region', 'eu'], env: { KEY: 'k' }, cwd: '/home/me/work' },
    });
    expect(resolveServerConfig(entry, sources({ REGION: 'eu', HOME: '/h' }))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^env\.KEY: secret KEY is not set/),
    });
    expect(
      resolveServerConfig({ type: 'http', url: '${BASE}' }, sources({ BASE: 'not a url' })),
    ).toMatchObject({
      ok: false,
      problem: expect.stringContaining('not an http:// or https:// URL'),
    });
    // An entry without references is used as it is: the same object.
    const plain = { type: 'http' as const, url: 'http://localhost:1/mcp' };
    expect(resolveServerConfig(plain, sources({}))).toEqual({ ok: true, config: plain });
  });

  it('turns a store that cannot be read into a problem, never an empty value', () => {
    const broken: ReferenceSources = {
      env: () => undefined,
      secret: () => {
        throw new Error('secrets.json was encrypted with another key');
      },
    };
    expect(
      resolveServerConfig({ type: 'http', url: 'http://x/mcp', headers: { A: '${secret:A}' } }, broken),
    ).toEqual({ ok: false, problem: 'headers.A: secrets.json was encrypted with another key' });
  });
});
