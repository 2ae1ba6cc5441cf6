/** Why an OpenID sign-in did not finish, worded for the person in the browser. */

/** What went wrong, said to the person signing in: a page title, what happened and what to do. */
export class SignInRefusal extends Error {
  override name = 'SignInRefusal';
  constructor(
    readonly title: string,
    message: string,
    readonly status: 400 | 403 | 502 | 503,
    /** Who the provider said they are, when it got that far (for the audit log). */
    readonly actor: string | null = null,
  ) {
    super(message);
  }
}

/** What a failed code exchange or ID token check means for the person signing in. */
export function tokenRefusal(
  failure: unknown,
  label: string,
  clientId: string,
  log: (message: string) => void,
): SignInRefusal {
  const { code, claim } = details(failure);
  if (claim === 'aud') {
    return new SignInRefusal(
      'The ID token is meant for another application',
      `${label} sent an ID token whose audience is not this gateway's client (${clientId}). Check that --oidc-client-id is the client registered for this gateway at the provider, then sign in again.`,
      403,
    );
  }
  if (code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') {
    return new SignInRefusal(
      'The ID token has expired',
      `${label} sent an ID token that is expired or not yet valid (${claim ?? 'a time claim'}). Check that the clocks of this machine and the provider agree, then sign in again.`,
      403,
    );
  }
  log(`OpenID sign-in failed: ${describe(failure)}`);
  return new SignInRefusal(
    'The sign-in could not be verified',
    `${label}'s answer could not be verified (${describe(failure)}). Sign in again; if it keeps failing, the gateway's terminal has the details for its owner.`,
    502,
  );
}

/** The code and the claim an openid-client error names, however deep in its causes. */
function details(error: unknown): { code?: string; claim?: string } {
  const found: { code?: string; claim?: string } = {};
  for (
    let e = error as { code?: unknown; cause?: unknown; claim?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    if (typeof e.code === 'string' && e.code.startsWith('OAUTH_')) found.code ??= e.code;
    if (typeof e.claim === 'string') found.claim ??= e.claim;
    e = typeof e.cause === 'object' && e.cause !== null ? (e.cause as typeof e) : undefined;
  }
  return found;
}

export function describe(error: unknown): string {
  const parts: string[] = [];
  for (
    let e = error as { message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (typeof e.message === 'string' && e.message && !parts.includes(e.message)) parts.push(e.message);
    e = typeof e.cause === 'object' && e.cause !== null ? (e.cause as typeof e) : undefined;
  }
  return parts.join(': ') || String(error);
}
