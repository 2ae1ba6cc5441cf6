import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AuditTrail } from '../audit/audit-trail.js';
import { sourceAddress } from '../audit/rest-audit.js';
import type { Identity } from '../auth/identity.js';
import type { OidcSignIn } from '../auth/oidc-sign-in.js';
import { GatewayError } from '../core/errors.js';
import { authRequest } from './authenticate.js';
import { CSRF_HEADER, csrfRefusal } from './csrf.js';
import { oidcRoutes } from './oidc-routes.js';
import { clearedSessionCookie, sessionCookie, sessionFromCookie, type UiSessions } from './ui-session.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The built UI: `dist/ui`, beside `dist/app` when running built code, or from the repository root in tests. */
function uiDirectory(): string | null {
  for (const candidate of ['../ui/', '../../dist/ui/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

export interface UiRoutesDeps {
  sessions: UiSessions;
  /** Who the `?token=` link's token stands for, or null; a GatewayError 429 while the address must pause. */
  signInToken: (token: string, address: string | undefined) => Identity | null;
  /** OpenID Connect sign-in, when configured (`--oidc-issuer`). */
  oidc?: OidcSignIn | null;
  /** Sign-ins and sign-outs are recorded here. */
  audit: AuditTrail;
  /** Served over HTTPS: the session cookie is Secure. */
  secureCookies?: boolean;
}

/**
 * `/ui`: the web UI, a single-page app built by Vite. Static files need no auth (they hold no data); the
 * data comes from the API, which the session cookie opens.
 */
export function uiRoutes({
  sessions,
  signInToken,
  oidc = null,
  audit,
  secureCookies = false,
}: UiRoutesDeps): Hono {
  const app = new Hono();
  const dir = uiDirectory();

  app.route('/auth', oidcRoutes({ sessions, oidc, audit }));

  app.post('/logout', (c) => {
    const sessionId = sessionFromCookie(c.req.header('cookie'));
    // Signing someone out is a change too: only the gateway's own page may do it for a live session.
    if (sessionId !== undefined && sessions.valid(sessionId)) {
      const refusal = csrfRefusal(
        { via: 'ui-session', sessionId },
        'POST',
        c.req.header(CSRF_HEADER),
        sessions,
      );
      if (refusal) throw refusal;
    }
    const identity = sessionId === undefined ? undefined : sessions.identity(sessionId);
    sessions.end(sessionId);
    if (identity) {
      audit.record({
        actor: identity,
        source: sourceAddress(authRequest(c).address),
        action: 'auth.sign-out',
        target: null,
        outcome: 'ok',
      });
    }
    c.header('set-cookie', clearedSessionCookie(secureCookies));
    return c.json({ signedOut: true });
  });

  app.get('/*', async (c) => {
    const url = new URL(c.req.url);
    const token = url.searchParams.get('token');
    if (token !== null) {
      // Exchange the link's token for a cookie and take the token out of the address bar.
      url.searchParams.delete('token');
      let identity: Identity | null;
      const address = authRequest(c).address;
      try {
        identity = signInToken(token, address);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        // A page, not JSON: this is a link the user opened.
        return c.text(error.message, error.status as 429, { ...error.headers, 'cache-control': 'no-store' });
      }
      if (identity) {
        c.header('set-cookie', sessionCookie(sessions.create(identity), secureCookies));
      } else {
        url.searchParams.set('signin', 'invalid-token');
      }
      audit.record({
        actor: identity,
        source: sourceAddress(address),
        action: 'auth.sign-in',
        target: null,
        outcome: identity ? 'ok' : 'failed',
        detail: identity ? 'with a token link' : 'a wrong token in the sign-in link',
      });
      c.header('cache-control', 'no-store');
      return c.redirect(`${url.pathname}${url.search}`, 302);
    }
    if (!dir) {
      return c.text(
        'The web UI is not built. Run `npm run build` in the mcp-gateway checkout, then reload.',
        503,
      );
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname.replace(/^\/ui\/?/, ''));
    } catch {
      return c.text(`Bad path ${url.pathname}: its percent-encoding is malformed. Open /ui instead.`, 400);
    }
    const relative = normalize(decoded).replace(/^(\.\.(\/|$))+/, '');
    const isAsset = relative.startsWith('assets/') || /\.[a-z0-9]+$/i.test(relative);
    const file = isAsset ? join(dir, relative) : join(dir, 'index.html');
    if (!file.startsWith(dir)) return c.notFound();
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return c.notFound();
    }
    return c.body(new Uint8Array(body), 200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      // Hashed asset names never change content; the page itself must always be fresh.
      'cache-control': relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy':
        "default-src 'self'; img-src 'self' data:; media-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
    });
  });
  return app;
}
