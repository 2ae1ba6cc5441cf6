import { describe, expect, it } from 'vitest';
import { exposureWarning, isLoopbackHost } from '../../src/app/exposure.js';

const off = { kind: 'off' } as const;
const selfSigned = { kind: 'self-signed' } as const;

describe('exposure warning at startup', () => {
  it('stays quiet on loopback, whatever the flags', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) {
      expect(isLoopbackHost(host)).toBe(true);
      expect(exposureWarning({ host, tls: off, proxyAuth: false })).toBeNull();
    }
  });

  it('names both gaps, and the flags that close them, on all interfaces', () => {
    const text = exposureWarning({ host: '0.0.0.0', tls: off, proxyAuth: false }) ?? '';
    expect(text).toContain('listening on all interfaces (0.0.0.0): other machines on the network can reach');
    expect(text).toContain('No TLS: the gateway token, the web UI session cookie and every proxied message');
    expect(text).toContain('Add --tls self-signed, or --tls-cert FILE --tls-key FILE.');
    expect(text).toContain('No --proxy-auth: anyone who reaches it can use every registered server');
    expect(text).toContain('Add --proxy-auth (clients then send X-MCP-Gateway-Token).');
  });

  it('names only what is still open on a LAN address', () => {
    const withTls = exposureWarning({ host: '192.168.1.20', tls: selfSigned, proxyAuth: false }) ?? '';
    expect(withTls).toContain('listening on 192.168.1.20:');
    expect(withTls).not.toContain('No TLS');
    expect(withTls).toContain('No --proxy-auth');
    const withAuth = exposureWarning({ host: '192.168.1.20', tls: off, proxyAuth: true }) ?? '';
    expect(withAuth).toContain('No TLS');
    expect(withAuth).not.toContain('No --proxy-auth');
    expect(exposureWarning({ host: '0.0.0.0', tls: selfSigned, proxyAuth: true })).toBeNull();
  });
});
