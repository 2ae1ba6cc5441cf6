import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiRoutes } from '../../src/app/ui-routes.js';
import { UiSessions } from '../../src/app/ui-session.js';
import type { AuditEvent } from '../../src/audit/audit-trail.js';
import { parseRoleMap } from '../../src/auth/oidc-roles.js';
import { OidcSignIn } from '../../src/auth/oidc-sign-in.js';
import { startOidcProvider, type TestProvider } from '../helpers/oidc-provider.js';

/**
 * The audit lines of OpenID sign-ins, against a real provider: its login form is posted the way a browser
 * would (cookies kept per origin, redirects followed by hand) and the gateway's routes are called directly.
 */
const GATEWAY = 'http://localhost';
/** Another gateway, whose client gets expired ID tokens. */
const EXPIRED = 'http://127.0.0.1';

/** A browser's cookie jar for the provider, enough for its login round trip. */
class Jar {
  readonly #cookies = new Map<string, string>();
  keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  get header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

describe('OpenID sign-in routes', () => {
  let provider: TestProvider;
  let events: AuditEvent[];
  /** Each gateway's routes, by its origin. */
  const apps = new Map<string, Hono>();
  const request = (url: string, init?: RequestInit) =>
    (apps.get(new URL(url).origin) as Hono).request(url, init);
  let sessions: UiSessions;

  beforeAll(async () => {
    provider = await startOidcProvider(
      {
        alice: { email: 'alice@example.com', groups: ['devs'] },
        nora: { email: 'nora@example.com', groups: ['contractors'] },
      },
      [
        {
          clientId: 'gw',
          clientSecret: 'gw-secret-0123456789',
          redirectUris: [`${GATEWAY}/ui/auth/callback`],
        },
        {
          clientId: 'gw-expired',
          clientSecret: 'gw-expired-secret-0123456789',
          redirectUris: [`${EXPIRED}/ui/auth/callback`],
          idTokenExpiredBy: 120,
        },
      ],
    );
    sessions = new UiSessions();
    events = [];
    for (const [origin, clientId, clientSecret] of [
      [GATEWAY, 'gw', 'gw-secret-0123456789'],
      [EXPIRED, 'gw-expired', 'gw-expired-secret-0123456789'],
    ] as const) {
      const oidc = new OidcSignIn(
        {
          issuer: new URL(provider.issuer),
          clientId,
          clientSecret,
          mapping: { claim: 'groups', roles: parseRoleMap('devs=operator'), defaultRole: null },
          redirectUri: null,
          sessionMaxMs: 3_600_000,
        },
        { log: () => {} },
      );
      expect(await oidc.discover()).toBe(true);
      const routes = uiRoutes({
        sessions,
        signInToken: () => null,
        oidc,
        audit: { record: (e) => events.push(e) },
      });
      apps.set(origin, new Hono().route('/ui', routes));
    }
  });

  afterAll(async () => {
    await provider?.stop();
  });

  /** Login at the provider as `login`; the gateway's answer to the callback. */
  async function signIn(login: string, gateway = GATEWAY): Promise<Response> {
    const start = await request(`${gateway}/ui/auth/login`);
    expect(start.status).toBe(302);
    const stateCookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const jar = new Jar();
    let location = start.headers.get('location') ?? '';
    let form: { action: string } | null = null;
    for (let hop = 0; hop < 10 && !location.startsWith(`${gateway}/`); hop++) {
      const response = await fetch(new URL(location, provider.issuer), {
        redirect: 'manual',
        headers: { cookie: jar.header },
        ...(form
          ? { method: 'POST', body: new URLSearchParams({ prompt: 'login', login, password: 'x' }) }
          : {}),
      });
      jar.keep(response);
      form = null;
      if (response.status === 200) {
        const action = /<form[^>]*action="([^"]+)"/.exec(await response.text())?.[1];
        if (!action) throw new Error('the provider showed no login form');
        form = { action };
        location = action;
      } else if (response.status >= 300 && response.status < 400) {
        location = response.headers.get('location') ?? '';
      } else {
        throw new Error(`the provider answered ${response.status} to ${location}: ${await response.text()}`);
      }
    }
    if (!location.startsWith(`${gateway}/`))
      throw new Error(`the provider did not send the browser back: ${location}`);
    return request(location, { headers: { cookie: stateCookie } });
  }

  it('records a sign-in with the user as actor, and the sign-out', async () => {
    const answer = await signIn('alice');
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/ui');
    expect(events).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ actor: 'alice@example.com', kind: 'user', role: 'operator' }),
        action: 'auth.sign-in',
        outcome: 'ok',
        target: new URL(provider.issuer).host,
      }),
    ]);
    const session = /mcp_gateway_session=([^;]+)/.exec(answer.headers.getSetCookie().join('\n'))?.[1] ?? '';
    const csrf = sessions.csrfToken(session) ?? '';
    const out = await request(`${GATEWAY}/ui/logout`, {
      method: 'POST',
      headers: { cookie: `mcp_gateway_session=${session}`, 'x-csrf-token': csrf },
    });
    expect(out.status).toBe(200);
    expect(events[1]).toMatchObject({
      actor: { actor: 'alice@example.com' },
      action: 'auth.sign-out',
      outcome: 'ok',
    });
    expect(sessions.identity(session)).toBeUndefined();
  });

  it('records a refused sign-in with the user the provider vouched for, and makes no session', async () => {
    events.length = 0;
    const answer = await signIn('nora');
    expect(answer.status).toBe(403);
    expect(answer.headers.get('content-type')).toContain('text/html');
    expect(await answer.text()).toContain('No role on this gateway');
    expect(answer.headers.getSetCookie().join('\n')).not.toContain('mcp_gateway_session=');
    expect(events).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ actor: 'nora@example.com', kind: 'user', servers: [] }),
        action: 'auth.sign-in',
        outcome: 'refused',
        detail: 'No role on this gateway',
      }),
    ]);
  });

  it('refuses an expired ID token with a page that says to check the clocks', async () => {
    events.length = 0;
    const answer = await signIn('alice', EXPIRED);
    expect(answer.status).toBe(403);
    const page = await answer.text();
    expect(page).toContain('The ID token has expired');
    expect(page).toContain('clocks');
    expect(answer.headers.getSetCookie().join('\n')).not.toContain('mcp_gateway_session=');
    expect(events).toEqual([
      expect.objectContaining({ action: 'auth.sign-in', outcome: 'refused', actor: null }),
    ]);
  });

  it('refuses a state that does not match this browser, even when the provider issued it', async () => {
    const first = await request(`${GATEWAY}/ui/auth/login`);
    const state = new URL(first.headers.get('location') ?? '').searchParams.get('state');
    const answer = await request(`${GATEWAY}/ui/auth/callback?code=x&state=${state}`, {
      headers: { cookie: 'mcp_gateway_oidc_state=another-browsers-state' },
    });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('This sign-in cannot be finished');
  });

  it('sends the provider a PKCE S256 challenge, a state and a nonce', async () => {
    const start = await request(`${GATEWAY}/ui/auth/login`);
    const url = new URL(start.headers.get('location') ?? '');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(`${GATEWAY}/ui/auth/callback`);
    expect(url.searchParams.get('scope')).toBe('openid email profile groups');
    expect(start.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax; Path=\/ui\/auth/);
  });
});
