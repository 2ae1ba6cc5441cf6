import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/options.js';

describe('TLS and proxy auth settings', () => {
  it('are off by default', () => {
    const config = resolveConfig({}, {});
    expect(config.tls).toEqual({ kind: 'off' });
    expect(config.proxyAuth).toBe(false);
    expect(resolveConfig({}, { MCP_GATEWAY_PROXY_AUTH: '' }).proxyAuth).toBe(false);
  });

  it('come from flags or the environment', () => {
    expect(resolveConfig({ tls: 'self-signed', proxyAuth: true }, {})).toMatchObject({
      tls: { kind: 'self-signed' },
      proxyAuth: true,
    });
    const fromEnv = resolveConfig(
      {},
      {
        MCP_GATEWAY_TLS_CERT: '/etc/gw/cert.pem',
        MCP_GATEWAY_TLS_KEY: '/etc/gw/key.pem',
        MCP_GATEWAY_PROXY_AUTH: 'on',
      },
    );
    expect(fromEnv.tls).toEqual({ kind: 'files', cert: '/etc/gw/cert.pem', key: '/etc/gw/key.pem' });
    expect(fromEnv.proxyAuth).toBe(true);
    expect(resolveConfig({}, { MCP_GATEWAY_TLS: 'self-signed' }).tls).toEqual({ kind: 'self-signed' });
  });

  it('refuse a half pair, an unknown mode and both kinds at once, naming the fix', () => {
    expect(() => resolveConfig({ tlsKey: '/k.pem' }, {})).toThrow(
      new ConfigError(
        'HTTPS needs both a certificate and its private key: add --tls-cert (MCP_GATEWAY_TLS_CERT), or use --tls self-signed',
      ),
    );
    expect(() => resolveConfig({ tls: 'acme' }, {})).toThrow(/the only mode is "self-signed"/);
    expect(() => resolveConfig({ tls: 'self-signed', tlsCert: '/c.pem', tlsKey: '/k.pem' }, {})).toThrow(
      '--tls self-signed and --tls-cert/--tls-key exclude each other',
    );
    expect(() => resolveConfig({}, { MCP_GATEWAY_PROXY_AUTH: 'maybe' })).toThrow(
      'invalid MCP_GATEWAY_PROXY_AUTH "maybe": use on or off',
    );
  });
});
