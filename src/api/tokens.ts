import type { IncomingMessage } from 'node:http';
import { type Context, Hono } from 'hono';
import type { AuditTrail } from '../audit/audit-trail.js';
import { DurationError, parseDuration } from '../auth/duration.js';
import type { Identity } from '../auth/identity.js';
import { isRole, requireRole } from '../auth/roles.js';
import { beyondReach, type Rights, rightsOf } from '../auth/token-reach.js';
import { type TokenInfo, type TokenStore, TokenStoreError } from '../auth/token-store.js';
import { GatewayError } from '../core/errors.js';
import { jsonObjectBody } from './errors.js';

export interface TokensRoutesDeps {
  tokens: TokenStore;
  audit: AuditTrail;
  now?: () => number;
}

type TokensEnv = { Variables: { principal: Identity } };

const FIELDS = new Set(['name', 'role', 'servers', 'expires']);

function expiresInMs(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw new GatewayError(
      400,
      '"expires" must be a duration such as "90m", "12h" or "30d", or null for never.',
    );
  }
  try {
    return parseDuration(value);
  } catch (error) {
    if (error instanceof DurationError) throw new GatewayError(400, `"expires": ${error.message}.`);
    throw error;
  }
}

function serversOf(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) {
    throw new GatewayError(
      400,
      '"servers" must be a list of server names, such as ["github"], or null for all.',
    );
  }
  return value.length > 0 ? value : null;
}

/** The token store's refusals as REST answers: bad input 400, a taken name 409, the file 503. */
function storeFailure(error: unknown): never {
  if (error instanceof TokenStoreError) {
    const status = error.kind === 'invalid' ? 400 : error.kind === 'conflict' ? 409 : 503;
    throw new GatewayError(status, `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}`);
  }
  throw error;
}

function address(c: Context): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket.remoteAddress?.replace(/^::ffff:/i, '') ?? 'unknown';
}

function describeRights(token: TokenInfo): string {
  const servers = token.servers ? `servers ${token.servers.join(', ')}` : 'all servers';
  return `${token.role}, ${servers}, ${token.expires ? `expires ${token.expires}` : 'never expires'}`;
}

/**
 * `/api/tokens`: named tokens for admins. `GET` lists them (never a value or digest); `POST` creates one
 * and answers its value, once; `DELETE /<name>` revokes; `POST /<name>/rotate` gives a new value and kills
 * the old one. A principal sees and manages only tokens within its own rights.
 */
export function tokensRoutes({ tokens, audit, now = Date.now }: TokensRoutesDeps): Hono<TokensEnv> {
  const app = new Hono<TokensEnv>();
  app.use(async function adminsOnly(c, next) {
    requireRole(c.get('principal'), 'admin', 'Managing tokens');
    await next();
  });

  const record = (
    c: Context<TokensEnv>,
    action: string,
    target: string,
    outcome: 'ok' | 'refused',
    detail: string,
  ) => audit.record({ actor: c.get('principal'), source: address(c), action, target, outcome, detail });

  /** Refuses (403, audited) a change that would hand out more than the principal holds. */
  const checkReach = (c: Context<TokensEnv>, action: string, target: string, rights: Rights) => {
    const problem = beyondReach(c.get('principal'), rights);
    if (!problem) return;
    record(c, action, target, 'refused', problem);
    throw new GatewayError(403, problem);
  };

  /** The named token, or a 404 that says where the list is. */
  const existing = (name: string): TokenInfo => {
    let token: TokenInfo | undefined;
    try {
      token = tokens.get(name);
    } catch (error) {
      storeFailure(error);
    }
    if (!token) {
      throw new GatewayError(404, `No token named "${name}". GET /api/tokens lists the tokens there are.`);
    }
    return token;
  };

  app.get('/', (c) => {
    const who = c.get('principal');
    let list: TokenInfo[];
    try {
      list = tokens.list();
    } catch (error) {
      storeFailure(error);
    }
    const visible = list.filter((token) => beyondReach(who, rightsOf(token)) === null);
    return c.json({ tokens: visible }, 200, { 'cache-control': 'no-store' });
  });

  app.post('/', async (c) => {
    const body = await jsonObjectBody(c);
    const unknown = Object.keys(body).filter((key) => !FIELDS.has(key));
    if (unknown.length > 0) {
      throw new GatewayError(400, `Unknown field "${unknown[0]}": send name, role, servers and expires.`);
    }
    const { name, role } = body;
    if (typeof name !== 'string' || name === '') {
      throw new GatewayError(400, 'Send the token\'s "name", such as "ci-bot".');
    }
    if (!isRole(role)) throw new GatewayError(400, '"role" must be viewer, operator or admin.');
    const servers = serversOf(body.servers);
    const lifetime = expiresInMs(body.expires);
    checkReach(c, 'token.create', name, {
      role,
      servers,
      expiresAt: lifetime === null ? null : now() + lifetime,
    });
    let created: ReturnType<TokenStore['create']>;
    try {
      created = tokens.create({ name, role, servers, expiresInMs: lifetime });
    } catch (error) {
      storeFailure(error);
    }
    record(c, 'token.create', name, 'ok', describeRights(created.token));
    return c.json({ token: created.token, value: created.value }, 201, { 'cache-control': 'no-store' });
  });

  app.delete('/:name', (c) => {
    const name = c.req.param('name');
    const token = existing(name);
    checkReach(c, 'token.revoke', name, rightsOf(token));
    try {
      tokens.revoke(name);
    } catch (error) {
      storeFailure(error);
    }
    record(c, 'token.revoke', name, 'ok', describeRights(token));
    return c.json({ revoked: name });
  });

  app.post('/:name/rotate', async (c) => {
    const name = c.req.param('name');
    // The body is optional here: a plain POST rotates and keeps the expiry.
    const body = (await c.req.raw.clone().text()).trim() === '' ? {} : await jsonObjectBody(c);
    const unknown = Object.keys(body).filter((key) => key !== 'expires');
    if (unknown.length > 0)
      throw new GatewayError(400, `Unknown field "${unknown[0]}": rotate takes only expires.`);
    const lifetime = expiresInMs(body.expires);
    const token = existing(name);
    checkReach(c, 'token.rotate', name, {
      ...rightsOf(token),
      ...(lifetime !== null ? { expiresAt: now() + lifetime } : {}),
    });
    let rotated: ReturnType<TokenStore['rotate']>;
    try {
      rotated = tokens.rotate(name, { expiresInMs: lifetime });
    } catch (error) {
      storeFailure(error);
    }
    if (!rotated) throw new GatewayError(404, `No token named "${name}": it was revoked meanwhile.`);
    record(c, 'token.rotate', name, 'ok', describeRights(rotated.token));
    return c.json({ token: rotated.token, value: rotated.value }, 200, { 'cache-control': 'no-store' });
  });

  return app;
}
