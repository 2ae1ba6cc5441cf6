import { describe, expect, it } from 'vitest';
import { stringifyJson } from '../../src/core/json-text.js';
import { DEFAULT_REDACTION } from '../../src/redaction/policy.js';
import { Redactor } from '../../src/redaction/redactor.js';

const redactor = new Redactor(DEFAULT_REDACTION);
const redact = (value: unknown) => redactor.value(structuredClone(value), 'alpha');

describe('payload redaction', () => {
  it.each([
    ['apiKey'],
    ['api_key'],
    ['API-KEY'],
    ['x-api-key'],
    ['password'],
    ['db_passwd'],
    ['client_secret'],
    ['access_token'],
    ['refreshToken'],
    ['id_token'],
    ['private_key'],
    ['Authorization'],
    ['cookie'],
    ['credentials'],
  ])('redacts the value of "%s" whatever it looks like', (key) => {
    const { value, count } = redact({ params: { [key]: 'plain-words' } });
    expect((value as { params: Record<string, string> }).params[key]).toMatch(/^\[REDACTED:[a-z_]+\]$/);
    expect(count).toBe(1);
  });

  it('leaves alone names that only look alike: progressToken, maxTokens, token counts, booleans', () => {
    const message = {
      params: {
        _meta: { progressToken: 'p-1' },
        maxTokens: 200,
        usage: { inputTokens: 12 },
        hasPassword: true,
      },
    };
    expect(redact(message)).toEqual({ value: message, count: 0 });
  });

  it('keeps JSON Schema property names: a tool that takes a password is not a password', () => {
    const tool = {
      name: 'login',
      inputSchema: {
        type: 'object',
        properties: {
          password: { type: 'string', description: 'the account password' },
          token: { type: 'string' },
        },
        required: ['password'],
      },
    };
    expect(redact({ result: { tools: [tool] } })).toEqual({ value: { result: { tools: [tool] } }, count: 0 });
  });

  it('redacts every value inside a secret-named object, keeping its shape', () => {
    const { value, count } = redact({ credentials: { user: 'ada', pin: 1234, scopes: ['a', 'b'] } });
    expect(value).toEqual({
      credentials: {
        user: '[REDACTED:credentials]',
        pin: '[REDACTED:credentials]',
        scopes: ['[REDACTED:credentials]', '[REDACTED:credentials]'],
      },
    });
    expect(count).toBe(4);
  });

  it('finds credential formats inside any string, and secret query parameters in URLs', () => {
    const text = [
      'key sk-proj-abcdefghij0123456789',
      `gh ghp_${'a1'.repeat(18)}`,
      `pat github_pat_${'B2'.repeat(20)}`,
      'slack xoxp-1234567890-abcdef',
      'aws AKIAIOSFODNN7EXAMPLE',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature',
      'auth Bearer 0123456789abcdefXYZ',
      'url https://api.example.com/v1?api_key=abc123&page=2&access_token=zzz',
      'db postgres://admin:s3cr3t@db.internal/app',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----',
    ].join('\n');
    const { value, count } = redact({ result: { content: [{ type: 'text', text }] } });
    expect((value as { result: { content: { text: string }[] } }).result.content[0]?.text).toBe(
      [
        'key [REDACTED:api_key]',
        'gh [REDACTED:github_token]',
        'pat [REDACTED:github_token]',
        'slack [REDACTED:slack_token]',
        'aws [REDACTED:aws_access_key]',
        'jwt [REDACTED:jwt]',
        'auth Bearer [REDACTED:bearer]',
        'url https://api.example.com/v1?api_key=[REDACTED:api_key]&page=2&access_token=[REDACTED:access_token]',
        'db postgres://admin:[REDACTED:password]@db.internal/app',
        '[REDACTED:private_key]',
      ].join('\n'),
    );
    expect(count).toBe(11);
  });

  it('spares ordinary prose and identifiers', () => {
    const text =
      'Bearer authentication with sk-learn-compatible models; see ?page=2&sort=asc; task-1234567890';
    expect(redactor.scrub(text)).toEqual({ text, count: 0 });
  });

  it('walks any depth without recursion, and the result serializes', () => {
    let deep: Record<string, unknown> = { password: 'x1', leaf: 'sk-live-abcdefghijklmnop1234' };
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const { value, count } = redactor.value(deep, 'alpha');
    expect(count).toBe(2);
    const text = stringifyJson(value);
    expect(text.startsWith('{"a":{"a":')).toBe(true);
    expect(
      text.endsWith(`{"password":"[REDACTED:password]","leaf":"[REDACTED:api_key]"}${'}'.repeat(100_000)}`),
    ).toBe(true);
  });

  it('redacts JSON text cut short (a truncated body) by key name and format', () => {
    const cut =
      '{"jsonrpc":"2.0","params":{"arguments":{"password":"hunter2","note":"xoxb-1234567890-abc","more":"…';
    expect(redactor.text(cut, 'alpha')).toEqual({
      text: '{"jsonrpc":"2.0","params":{"arguments":{"password": "[REDACTED:password]","note":"[REDACTED:slack_token]","more":"…',
      count: 2,
    });
  });
});
