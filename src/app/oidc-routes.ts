import { Hono } from 'hono';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { Identity } from '../auth/identity.js';
import { SignInRefusal } from '../auth/oidc-refusals.js';
import type { OidcSignIn } from '../auth/oidc-sign-in.js';
import { AUTH_PAGE_HEADERS, authPage } from './auth-page.js';
import { authRequest } from './authenticate.js';
import { sessionCookie, type UiSessions } from './ui-session.js';

/**
 * Ties the provider's answer to the browser that asked (RFC 6749 §10.12). SameSite=Lax, not Strict: the
 * provider sends the browser back with a cross-site top-level GET, which Lax cookies ride along and Strict
 * ones do not.
 */
const STATE_COOKIE = 'mcp_gateway_oidc_state';

/** Secure when the gateway serves https, so the cookie never rides a plain-http request (RFC 6265 §4.1.2.5). */
function stateCookie(state: string, maxAge: number, url: string): string {
  const secure = new URL(url).protocol === 'https:' ? '; Secure' : '';
  return `${STATE_COOKIE}=${state}; HttpOnly; SameSite=Lax; Path=/ui/auth; Max-Age=${maxAge}${secure}`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export interface OidcRoutesDeps {
  sessions: UiSessions;
  /** Null when OpenID Connect is not configured: the sign-in screen offers the token link only. */
  oidc: OidcSignIn | null;
  audit: AuditTrail;
}

/**
 * `/ui/auth/*`: how the sign-in screen learns what it may offer, and the OpenID Connect round trip. The
 * redirect URI is the origin the browser reached the gateway at + `/ui/auth/callback` (or
 * `--oidc-redirect-uri`, behind a reverse proxy); register exactly that at the provider.
 */
export function oidcRoutes({ sessions, oidc, audit }: OidcRoutesDeps): Hono {
  const app = new Hono();

  app.get('/methods', (c) =>
    c.json({ oidc: oidc?.available() ? { label: oidc.label } : null }, 200, { 'cache-control': 'no-store' }),
  );

  app.get('/login', async (c) => {
    if (!oidc) {
      return c.html(
        authPage(
          'OpenID sign-in is off',
          'This gateway has no --oidc-issuer. Sign in with the web UI link it printed.',
        ),
        404,
        AUTH_PAGE_HEADERS,
      );
    }
    try {
      const { url, state } = await oidc.start(oidc.redirectUri(new URL(c.req.url).origin));
      c.header('set-cookie', stateCookie(state, 600, c.req.url));
      c.header('cache-control', 'no-store');
      return c.redirect(url.href, 302);
    } catch (error) {
      if (!(error instanceof SignInRefusal)) throw error;
      return c.html(authPage(error.title, error.message), error.status, AUTH_PAGE_HEADERS);
    }
  });

  app.get('/callback', async (c) => {
    const source = authRequest(c).address ?? 'unknown';
    c.header('set-cookie', stateCookie('', 0, c.req.url));
    if (!oidc) return c.redirect('/ui', 302);
    let identity: Identity;
    try {
      identity = await oidc.finish(new URL(c.req.url), cookieValue(c.req.header('cookie'), STATE_COOKIE));
    } catch (error) {
      if (!(error instanceof SignInRefusal)) throw error;
      audit.record({
        // Who the provider vouched for, holding nothing here: no server, and a right that already ended.
        actor:
          error.actor === null
            ? null
            : { actor: error.actor, kind: 'user', role: 'viewer', servers: [], expiresAt: 0 },
        source,
        action: 'auth.sign-in',
        target: oidc.label,
        outcome: 'refused',
        detail: error.title,
      });
      return c.html(authPage(error.title, error.message), error.status, AUTH_PAGE_HEADERS);
    }
    c.header('set-cookie', sessionCookie(sessions.create(identity)), { append: true });
    audit.record({
      actor: identity,
      source,
      action: 'auth.sign-in',
      target: oidc.label,
      outcome: 'ok',
      detail: `OpenID Connect, role ${identity.role}`,
    });
    c.header('cache-control', 'no-store');
    return c.redirect('/ui', 302);
  });

  return app;
}
