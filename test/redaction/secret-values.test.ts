// biome-ignore-all lint/suspicious/noTemplateCurlyInString: mcp.json references are written as ${...} in plain strings
import { describe, expect, it } from 'vitest';
import { capturePolicy } from '../../src/capture/policy.js';
import { DEFAULT_REDACTION } from '../../src/redaction/policy.js';
import { Redactor } from '../../src/redaction/redactor.js';
import { KnownSecrets } from '../../src/secrets/known-secrets.js';
import { expandReferences } from '../../src/secrets/references.js';
import { resolveServerConfig } from '../../src/secrets/resolve-config.js';

const SECRETS = [
  { kind: 'secret:SERVICE_TOKEN', value: 'svc-81f0e2d3c4b5' },
  { kind: 'env:DB_PASSWORD', value: 'correct horse "battery" staple' },
];
const redactor = new Redactor({ ...DEFAULT_REDACTION, secretValues: SECRETS });

describe('values the gateway filled references in with', () => {
  it('are replaced wherever a payload holds them, named after their reference', () => {
    // server-everything's get-env answers with its whole environment as JSON text in a text block.
    const env = JSON.stringify({ SERVICE_TOKEN: 'svc-81f0e2d3c4b5', REGION: 'eu-west', HOME: '/root' });
    const { value, count } = redactor.value(
      {
        result: {
          content: [{ type: 'text', text: env }],
          note: 'used svc-81f0e2d3c4b5 twice: svc-81f0e2d3c4b5',
        },
      },
      'alpha',
    );
    const text = JSON.stringify(value);
    expect(text).not.toContain('svc-81f0e2d3c4b5');
    expect(text).toContain('[REDACTED:secret:SERVICE_TOKEN]');
    // What is no credential stays readable.
    expect(text).toContain('eu-west');
    expect(count).toBe(3);
  });

  it('are found in text that is not JSON, and in JSON text as the value reads there escaped', () => {
    const truncated = `{"jsonrpc":"2.0","id":1,"result":{"text":"pw=${JSON.stringify(SECRETS[1]?.value).slice(1, -1)} and`;
    const result = redactor.text(truncated, 'alpha');
    expect(result.text).not.toContain('battery');
    expect(result.text).toContain('[REDACTED:env:DB_PASSWORD]');
    expect(redactor.text('stderr: connecting with svc-81f0e2d3c4b5', 'alpha').text).toBe(
      'stderr: connecting with [REDACTED:secret:SERVICE_TOKEN]',
    );
  });

  it('replace a secret that contains another one whole, and leave values too short to look for', () => {
    const nested = new Redactor({
      ...DEFAULT_REDACTION,
      secretValues: [
        { kind: 'secret:SHORT', value: 'abcdefgh' },
        { kind: 'secret:LONG', value: 'abcdefgh-ijklmnop' },
        { kind: 'secret:PIN', value: '4711' },
      ],
    });
    expect(nested.text('x abcdefgh-ijklmnop y abcdefgh z 4711', 'alpha').text).toBe(
      'x [REDACTED:secret:LONG] y [REDACTED:secret:SHORT] z 4711',
    );
  });

  it('are left as they are when redaction is off (raw captures)', () => {
    const off = new Redactor(capturePolicy(DEFAULT_REDACTION, false, SECRETS).redaction);
    expect(off.enabled).toBe(false);
  });
});

describe('KnownSecrets', () => {
  const sources = (env: Record<string, string>, secrets: Record<string, string>) => ({
    env: (name: string) => env[name],
    secret: (name: string) => secrets[name],
  });

  it('remembers every secret, and the env vars that hold credentials, as servers are resolved', () => {
    let changes = 0;
    const known = new KnownSecrets(() => changes++);
    const watched = known.watch(
      sources(
        {
          HOME: '/home/someone',
          GITHUB_TOKEN: 'gh-value-123456',
          GH: 'gh-other-654321',
          REGION: 'eu-west-1',
        },
        { API: 'api-secret-value' },
      ),
    );
    const resolved = resolveServerConfig(
      {
        type: 'stdio',
        command: 'node',
        args: ['server.js', '--home', '${HOME}'],
        env: {
          GITHUB_PERSONAL_ACCESS_TOKEN: '${GH}',
          TOKEN: '${GITHUB_TOKEN}',
          REGION: '${REGION}',
          API: '${secret:API}',
        },
      },
      watched,
    );
    expect(resolved.ok).toBe(true);
    expect(known.list()).toEqual(
      expect.arrayContaining([
        { kind: 'env:GH', value: 'gh-other-654321' },
        { kind: 'env:GITHUB_TOKEN', value: 'gh-value-123456' },
        { kind: 'secret:API', value: 'api-secret-value' },
      ]),
    );
    // A home directory or a region is no credential: redacting it would hide what a debugger needs.
    expect(known.list().map((s) => s.value)).not.toContain('/home/someone');
    expect(known.list().map((s) => s.value)).not.toContain('eu-west-1');
    expect(changes).toBe(3);
    // Seen again (the next connection): nothing new to send to capture.
    resolveServerConfig({ type: 'http', url: 'http://x/mcp', headers: { 'X-Key': '${REGION}' } }, watched);
    expect(known.list()).toContainEqual({ kind: 'env:REGION', value: 'eu-west-1' });
    expect(changes).toBe(4);
    expandReferences('${secret:API}', watched);
    expect(changes).toBe(4);
  });
});
