import { describe, expect, it } from 'vitest';
import { createHostGuard, hostNameOf } from '../../src/app/host-guard.js';

describe('Host and Origin guard (DNS rebinding protection)', () => {
  const guard = createHostGuard({ host: '127.0.0.1', allowedHosts: ['gateway.internal'] });

  it.each([
    ['localhost:3333', undefined],
    ['127.0.0.1:3333', undefined],
    ['[::1]:3333', undefined],
    ['LOCALHOST', undefined],
    ['gateway.internal:3333', undefined],
    ['localhost:3333', 'http://localhost:6274'],
    ['localhost:3333', 'https://127.0.0.1'],
    ['localhost:3333', 'http://gateway.internal:8080'],
  ])('lets Host %s with Origin %s through', (host, origin) => {
    expect(guard(host, origin)).toBeNull();
  });

  it.each([
    ['evil.example:3333', undefined, 403, '--allowed-hosts evil.example'],
    ['localhost.evil.example', undefined, 403, 'not allowed'],
    ['192.168.1.5:3333', undefined, 403, '--allowed-hosts 192.168.1.5'],
    ['localhost:3333', 'http://evil.example', 403, 'pages from "evil.example"'],
    ['localhost:3333', 'null', 403, 'only web pages served'],
    ['localhost:3333', 'file://', 403, 'only web pages served'],
    [undefined, undefined, 400, 'Host header is missing'],
  ])('refuses Host %s with Origin %s: %i', (host, origin, status, message) => {
    const error = guard(host, origin);
    expect(error?.status).toBe(status);
    expect(error?.message).toContain(message);
  });

  it('reads host names out of Host headers', () => {
    expect(hostNameOf('[::1]:80')).toBe('[::1]');
    expect(hostNameOf('Example.COM.:8080')).toBe('example.com');
  });
});
