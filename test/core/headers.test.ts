import { describe, expect, it } from 'vitest';
import {
  connectionTokens,
  isHopByHop,
  isSecretHeader,
  mediaType,
  redactHeaders,
} from '../../src/core/headers.js';

describe('headers', () => {
  it('knows the hop-by-hop headers of RFC 9110 section 7.6.1, and those named in Connection', () => {
    const tokens = connectionTokens('keep-alive, X-Private');
    for (const name of [
      'connection',
      'keep-alive',
      'transfer-encoding',
      'te',
      'upgrade',
      'proxy-authorization',
      'x-private',
    ]) {
      expect(isHopByHop(name, tokens)).toBe(true);
    }
    for (const name of ['mcp-session-id', 'authorization', 'last-event-id', 'content-type']) {
      expect(isHopByHop(name, tokens)).toBe(false);
    }
  });

  it('treats credentials and API-key-like headers as secrets', () => {
    for (const name of [
      'Authorization',
      'cookie',
      'Set-Cookie',
      'X-API-Key',
      'api_key',
      'x-auth-token',
      'X-Client-Secret',
      'openai-api-key',
    ]) {
      expect(isSecretHeader(name)).toBe(true);
    }
    for (const name of ['accept', 'mcp-session-id', 'user-agent', 'content-type'])
      expect(isSecretHeader(name)).toBe(false);
  });

  it('redacts secret values, keeping the auth scheme and anything configured as secret', () => {
    expect(
      redactHeaders(
        {
          Authorization: 'Bearer abc.def',
          cookie: ['a=1', 'b=2'],
          'x-tenant': 'acme',
          accept: 'application/json',
        },
        new Set(['x-tenant']),
      ),
    ).toEqual({
      authorization: 'Bearer [redacted]',
      cookie: ['[redacted]', '[redacted]'],
      'x-tenant': '[redacted]',
      accept: 'application/json',
    });
  });

  it('parses media types instead of substring-matching them', () => {
    expect(mediaType('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(mediaType('text/event-stream')).toBe('text/event-stream');
    expect(mediaType(undefined)).toBe('');
    expect(mediaType('application/jsonx')).not.toBe('application/json');
  });
});
