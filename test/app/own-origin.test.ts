import { describe, expect, it } from 'vitest';
import { createOwnOriginCheck, type OwnRouteRequest } from '../../src/app/own-origin.js';

/** The exact-origin rule of the REST API, the web UI and the gateway's own MCP server. */
describe('own-origin rule', () => {
  let port = 4100;
  // The port is read per request: with --port 0 it is only known once the gateway is bound.
  const check = createOwnOriginCheck({ allowedHosts: ['gateway.example', 'fe80::1'], port: () => port });
  const request = (overrides: Partial<OwnRouteRequest>): OwnRouteRequest => ({
    method: 'POST',
    path: '/api/servers/config',
    host: 'localhost:4100',
    origin: undefined,
    fetchSite: undefined,
    fetchMode: undefined,
    ...overrides,
  });

  it.each([
    ['localhost:4100', 'http://localhost:4100'],
    ['127.0.0.1:4100', 'http://127.0.0.1:4100'],
    ['[::1]:4100', 'http://[::1]:4100'],
    ['LOCALHOST:4100', 'http://localhost:4100'],
    // A reverse proxy or tunnel named with --allowed-hosts picks its own scheme and port.
    ['gateway.example', 'https://gateway.example'],
    ['gateway.example:8443', 'https://gateway.example:8443'],
    ['[fe80::1]:9000', 'http://[fe80::1]:9000'],
  ])('accepts the page the browser addressed: Host %s, Origin %s', (host, origin) => {
    expect(check(request({ host, origin }))).toBeNull();
  });

  it.each([
    ['localhost:4100', 'http://localhost:8080', 'another localhost port'],
    ['localhost:4100', 'http://127.0.0.1:4100', 'another name for this machine'],
    ['localhost:4100', 'https://localhost:4100', 'another scheme'],
    ['localhost:4100', 'null', 'an opaque origin (sandboxed frame, file://)'],
    ['localhost:5000', 'http://localhost:5000', 'a port the gateway does not listen on'],
    ['gateway.example', 'https://evil.example', 'another site'],
  ])('refuses Host %s with Origin %s (%s)', (host, origin) => {
    const error = check(request({ host, origin }));
    expect(error?.status).toBe(403);
    expect(error?.message).toContain(`Blocked request from origin "${origin}"`);
    expect(error?.message).toContain(`only the gateway's own web UI (http://${host}/ui)`);
    expect(error?.message).toContain('/s/<name>/mcp');
  });

  it('follows the port the gateway was bound to', () => {
    port = 4200;
    expect(check(request({ host: 'localhost:4200', origin: 'http://localhost:4200' }))).toBeNull();
    expect(check(request({ host: 'localhost:4100', origin: 'http://localhost:4100' }))?.status).toBe(403);
    port = 4100;
  });

  it('lets scripts and same-origin requests through when there is no Origin', () => {
    expect(check(request({}))).toBeNull();
    expect(check(request({ method: 'GET', fetchSite: 'same-origin', fetchMode: 'cors' }))).toBeNull();
    // A link opened from the terminal or typed into the address bar.
    expect(
      check(request({ method: 'GET', path: '/ui', fetchSite: 'none', fetchMode: 'navigate' })),
    ).toBeNull();
  });

  it.each(['same-site', 'cross-site'])(
    'refuses API requests that another page sent without an Origin (Sec-Fetch-Site: %s)',
    (fetchSite) => {
      const error = check(request({ method: 'GET', path: '/api/logs', fetchSite, fetchMode: 'no-cors' }));
      expect(error?.status).toBe(403);
      expect(error?.message).toContain(`Sec-Fetch-Site: ${fetchSite}`);
      expect(error?.message).toContain('Open http://localhost:4100/ui instead');
      const navigation = request({ method: 'GET', path: '/api/logs', fetchSite, fetchMode: 'navigate' });
      expect(check(navigation)?.status).toBe(403);
    },
  );

  it('lets a link from another page open the UI page, which holds no data', () => {
    const link = request({
      method: 'GET',
      path: '/ui/servers',
      fetchSite: 'same-site',
      fetchMode: 'navigate',
    });
    expect(check(link)).toBeNull();
    expect(check({ ...link, method: 'POST', path: '/ui/logout' })?.status).toBe(403);
    expect(check({ ...link, fetchMode: 'no-cors' })?.status).toBe(403);
  });
});
