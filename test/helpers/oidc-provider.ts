import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real OpenID provider (`oidc-provider`, the certified Node implementation) on a loopback port, with its
 * development login page (any password; the login names a user below) and consent given at once.
 */
export interface ProviderUser {
  email: string;
  groups: string[];
}

export interface ProviderClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /**
   * Make the provider put this audience in the client's ID tokens instead of its own id: a provider set up
   * wrongly (or an ID token taken from another application) as the relying party sees it.
   */
  idTokenAudience?: string;
  /** Make the provider send this client ID tokens that expired this many seconds ago. */
  idTokenExpiredBy?: number;
}

export interface TestProvider {
  issuer: string;
  stop(): Promise<void>;
}

/** oidc-provider 9 warns at import on Node 20 ("Unsupported runtime"); it runs fine there, so that line goes. */
async function loadProvider() {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (String(args[0]).includes('oidc-provider WARNING: Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return (await import('oidc-provider')).default;
  } finally {
    console.warn = warn;
  }
}

export async function startOidcProvider(
  users: Record<string, ProviderUser>,
  clients: ProviderClient[],
): Promise<TestProvider> {
  const Provider = await loadProvider();
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    async findAccount(_ctx, id) {
      const user = users[id];
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: user.email, email_verified: true, groups: user.groups }),
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    cookies: { keys: ['oidc-provider test cookie key'] },
    // Set, so that the provider does not print a notice for each default it falls back to.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    // Consent is given at once: the test is about the gateway, not the provider's consent screen.
    async loadExistingGrant(ctx) {
      const { session, client } = ctx.oidc;
      if (!session?.accountId || !client) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
  });
  const byId = new Map(clients.map((c) => [c.clientId, c]));
  if (clients.some((c) => c.idTokenAudience || c.idTokenExpiredBy)) {
    // The signed audience is the client's id and the expiry comes from `issue` (models/id_token.js): a
    // stand-in client names another audience, and an `expiresAt` in the past makes an expired token.
    type Issue = (
      this: { client: { clientId: string } },
      options?: Record<string, unknown>,
    ) => Promise<string>;
    const IdToken = provider.IdToken as { prototype: { issue: Issue } };
    const issue = IdToken.prototype.issue;
    IdToken.prototype.issue = function (options = {}) {
      const client = byId.get(this.client.clientId);
      if (client?.idTokenAudience) {
        const audience = client.idTokenAudience;
        this.client = new Proxy(this.client, {
          get: (target, property) => (property === 'clientId' ? audience : Reflect.get(target, property)),
        });
      }
      if (client?.idTokenExpiredBy && options.use === 'idtoken') {
        options = { ...options, expiresAt: Math.floor(Date.now() / 1000) - client.idTokenExpiredBy };
      }
      return issue.call(this, options);
    };
  }
  handler = provider.callback();
  return {
    issuer,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
