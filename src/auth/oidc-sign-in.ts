import * as oidc from 'openid-client';
import type { Identity } from './identity.js';
import { describe, SignInRefusal, tokenRefusal } from './oidc-refusals.js';
import { claimValues, type RoleMapping, roleFor } from './oidc-roles.js';

/**
 * OpenID Connect sign-in for the web UI: authorization code flow with PKCE (RFC 7636, S256), `state` against
 * cross-site request forgery (RFC 6749 §10.12) and `nonce` against replayed ID tokens (OpenID Connect Core
 * §3.1.2.1). The ID token is checked by openid-client (signature, issuer, audience, expiry, nonce); the role
 * comes from one of its claims (or the userinfo endpoint's, when the token leaves it out).
 */

/** What `--oidc-*` configure (src/config/oidc-options.ts). */
export interface OidcConfig {
  readonly issuer: URL;
  readonly clientId: string;
  /** Null for a public client (PKCE alone authenticates the code exchange, RFC 7636). */
  readonly clientSecret: string | null;
  readonly mapping: RoleMapping;
  /** The redirect URI registered at the provider; null: the origin the browser used + /ui/auth/callback. */
  readonly redirectUri: string | null;
  /** Milliseconds a sign-in lasts at most. */
  readonly sessionMaxMs: number;
}

/** A sign-in the browser was sent off to the provider for, keyed by its `state`. */
interface PendingSignIn {
  verifier: string;
  nonce: string;
  redirectUri: string;
  startedAt: number;
}

/** How long the browser may take at the provider; past it, the sign-in starts again. */
const PENDING_MS = 10 * 60_000;
/** Sign-ins in flight at once; more (a flood of /ui/auth/login) end the oldest, so memory stays bounded. */
const MAX_PENDING = 1000;
/** Seconds discovery and token requests may take. */
const REQUEST_TIMEOUT_S = 10;
/** After a failed discovery, the sign-in screen tries again at most this often. */
const REDISCOVER_MS = 30_000;

export interface OidcSignInDeps {
  log: (message: string) => void;
  now?: () => number;
}

export class OidcSignIn {
  readonly #settings: OidcConfig;
  readonly #log: (message: string) => void;
  readonly #now: () => number;
  readonly #pending = new Map<string, PendingSignIn>();
  #config: oidc.Configuration | null = null;
  #discovering: Promise<boolean> | null = null;
  #failedAt = 0;

  constructor(settings: OidcConfig, { log, now = Date.now }: OidcSignInDeps) {
    this.#settings = settings;
    this.#log = log;
    this.#now = now;
  }

  /** What the sign-in button names: the provider's host. */
  get label(): string {
    return this.#settings.issuer.host;
  }

  /**
   * Reads the provider's metadata (OpenID Connect Discovery 1.0). A provider that cannot be reached is
   * reported, not fatal: the UI offers the token link meanwhile and tries again later.
   */
  discover(): Promise<boolean> {
    this.#discovering ??= (async () => {
      const { issuer, clientId, clientSecret } = this.#settings;
      try {
        this.#config = await oidc.discovery(
          issuer,
          clientId,
          undefined,
          clientSecret === null ? oidc.None() : oidc.ClientSecretBasic(clientSecret),
          {
            timeout: REQUEST_TIMEOUT_S,
            // http only for an issuer on this machine (oidc-options.ts refuses it elsewhere).
            execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
          },
        );
        return true;
      } catch (error) {
        this.#failedAt = this.#now();
        this.#log(
          `OpenID Connect sign-in is unavailable: cannot read ${issuer.href.replace(/\/$/, '')}/.well-known/openid-configuration (${describe(error)}). Check --oidc-issuer and that the provider is reachable; the web UI link with the token still works, and sign-in is tried again when the sign-in screen is opened.`,
        );
        return false;
      } finally {
        this.#discovering = null;
      }
    })();
    return this.#discovering;
  }

  /** True when sign-in can start; a failed discovery is retried now and then, without waiting for it. */
  available(): boolean {
    if (this.#config) return true;
    if (this.#discovering === null && this.#now() - this.#failedAt >= REDISCOVER_MS) void this.discover();
    return false;
  }

  /** The redirect URI for a browser that reached the gateway at `origin` (`--oidc-redirect-uri` wins). */
  redirectUri(origin: string): string {
    return this.#settings.redirectUri ?? `${origin}/ui/auth/callback`;
  }

  /** Where to send the browser, and the `state` that ties the answer to this browser. */
  async start(redirectUri: string): Promise<{ url: URL; state: string }> {
    const config = this.#config ?? ((await this.discover()) ? this.#config : null);
    if (!config) {
      throw new SignInRefusal(
        'Sign-in is unavailable',
        `The gateway cannot reach the OpenID provider ${this.label}. Try again in a minute; meanwhile, sign in with the web UI link the gateway printed.`,
        503,
      );
    }
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    this.#prune();
    if (this.#pending.size >= MAX_PENDING) {
      const oldest = this.#pending.keys().next();
      if (!oldest.done) this.#pending.delete(oldest.value);
    }
    this.#pending.set(state, { verifier, nonce, redirectUri, startedAt: this.#now() });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.#scope(config),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state };
  }

  /**
   * Finishes a sign-in from the provider's redirect. `browserState` is the state this browser was given
   * (its cookie): a callback without it, or with another, was not started here and is refused.
   */
  async finish(callbackUrl: URL, browserState: string | undefined): Promise<Identity> {
    const state = callbackUrl.searchParams.get('state');
    const pending = state === null ? undefined : this.#pending.get(state);
    if (state !== null) this.#pending.delete(state);
    if (!pending || state !== browserState || this.#now() - pending.startedAt > PENDING_MS || !this.#config) {
      throw new SignInRefusal(
        'This sign-in cannot be finished',
        'The answer from the provider does not belong to a sign-in started in this browser in the last 10 minutes (its state does not match). Start again from the sign-in screen.',
        400,
      );
    }
    const error = callbackUrl.searchParams.get('error');
    if (error !== null) {
      const description = callbackUrl.searchParams.get('error_description');
      throw new SignInRefusal(
        'The provider did not sign you in',
        `${this.label} answered "${error}"${description ? `: ${description}` : ''}. Start again from the sign-in screen, or ask the provider's administrator.`,
        403,
      );
    }
    // The redirect URI the provider saw, not the one this request arrived at (a proxy may rewrite it).
    const current = new URL(pending.redirectUri);
    current.search = callbackUrl.search;
    let claims: Record<string, unknown>;
    let accessToken: string;
    try {
      const tokens = await oidc.authorizationCodeGrant(this.#config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      accessToken = tokens.access_token;
    } catch (failure) {
      throw tokenRefusal(failure, this.label, this.#settings.clientId, this.#log);
    }
    if (!(this.#settings.mapping.claim in claims) || claims.email === undefined) {
      claims = { ...(await this.#userInfo(accessToken, String(claims.sub))), ...claims };
    }
    const actor = typeof claims.email === 'string' && claims.email !== '' ? claims.email : String(claims.sub);
    const role = roleFor(claims, this.#settings.mapping);
    if (role === null) {
      const claim = this.#settings.mapping.claim;
      const values = claimValues(claims, claim);
      throw new SignInRefusal(
        'No role on this gateway',
        values.length > 0
          ? `${this.label} signed you in as ${actor}, but none of your "${claim}" (${values.join(', ')}) maps to a role on this gateway. Ask the gateway's owner to add one of them to --oidc-roles.`
          : `${this.label} signed you in as ${actor}, but sent no "${claim}" claim, and this gateway gives no role without one. Ask the gateway's owner to map a group of yours with --oidc-roles, or the provider's administrator to release the "${claim}" claim to this client.`,
        403,
        actor,
      );
    }
    return {
      actor,
      kind: 'user',
      role,
      servers: null,
      // An absolute cap, idle or not: the provider is asked again at least this often.
      expiresAt: this.#now() + this.#settings.sessionMaxMs,
    };
  }

  /** The userinfo endpoint's claims (OpenID Connect Core §5.3), or none when there is no such endpoint. */
  async #userInfo(accessToken: string, subject: string): Promise<Record<string, unknown>> {
    if (!this.#config?.serverMetadata().userinfo_endpoint) return {};
    try {
      return { ...(await oidc.fetchUserInfo(this.#config, accessToken, subject)) };
    } catch (error) {
      this.#log(
        `OpenID sign-in: the provider's userinfo endpoint failed (${describe(error)}); using the ID token alone`,
      );
      return {};
    }
  }

  /** `openid email profile`, and the role claim's name when the provider offers a scope of that name. */
  #scope(config: oidc.Configuration): string {
    const scopes = ['openid', 'email', 'profile'];
    const claim = this.#settings.mapping.claim;
    if (config.serverMetadata().scopes_supported?.includes(claim) && !scopes.includes(claim))
      scopes.push(claim);
    return scopes.join(' ');
  }

  #prune(): void {
    const now = this.#now();
    for (const [state, pending] of this.#pending) {
      if (now - pending.startedAt <= PENDING_MS) break;
      this.#pending.delete(state);
    }
  }
}
