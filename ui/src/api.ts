import type { FilterErrorJson } from './types';

/** Talks to the gateway's REST API with the session cookie; a 401 means the user must sign in again. */
export class ApiError extends Error {
  readonly status: number;
  /** The JSON error body, when there was one (a bad filter carries position, length and suggestion). */
  readonly body: Record<string, unknown> | null;
  constructor(status: number, message: string, body: Record<string, unknown> | null = null) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/**
 * Changes the UI makes carry the session's CSRF token (src/app/csrf.ts), which the gateway hands only to
 * its own pages, in a same-origin answer. Fetched once per page, and again if the session changed.
 */
const CSRF_HEADER = 'x-csrf-token';
let csrfToken: Promise<string | null> | null = null;

function sessionCsrfToken(): Promise<string | null> {
  csrfToken ??= fetch('/api/session', { credentials: 'same-origin' })
    .then(async (response) =>
      response.ok ? ((await response.json()) as { csrfToken: string | null }).csrfToken : null,
    )
    .catch(() => null);
  return csrfToken;
}

function changes(init: RequestInit): boolean {
  const method = (init.method ?? 'GET').toUpperCase();
  return method !== 'GET' && method !== 'HEAD';
}

async function request(path: string, init: RequestInit): Promise<Response> {
  const token = changes(init) ? await sessionCsrfToken() : null;
  return fetch(path, {
    ...init,
    credentials: 'same-origin',
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { [CSRF_HEADER]: token } : {}),
      ...(init.headers ?? {}),
    },
  });
}

/**
 * Fetches `path` and reads its JSON answer. Pass the `signal` TanStack Query hands a query function: when
 * nobody waits for the answer any more (another range, another filter, the screen left), the request is
 * aborted, and the gateway drops the read it had queued for it.
 */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response = await request(path, init);
  if (response.status === 403 && changes(init)) {
    // The token may be from an earlier session (signed in again in another tab): fetch it afresh, once.
    csrfToken = null;
    response = await request(path, init);
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    let body: Record<string, unknown> | null = null;
    try {
      body = (await response.json()) as Record<string, unknown>;
      if (typeof body.error === 'string') message = body.error;
    } catch {
      // Not JSON: the status line is all there is.
    }
    throw new ApiError(response.status, message, body);
  }
  return (await response.json()) as T;
}

/** A JSON body for POST/PUT. */
export function send(method: 'POST' | 'PUT' | 'DELETE', body?: unknown): RequestInit {
  return body === undefined ? { method } : { method, body: JSON.stringify(body) };
}

/** A path with query parameters; empty values are left out. */
export function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** The position and suggestion of a filter the gateway could not read, if that is what went wrong. */
export function filterProblem(error: unknown): FilterErrorJson | null {
  if (!(error instanceof ApiError) || error.status !== 400 || !error.body) return null;
  const { error: message, position, length, suggestion } = error.body;
  if (typeof message !== 'string' || typeof position !== 'number') return null;
  return {
    error: message,
    position,
    length: typeof length === 'number' ? length : 1,
    suggestion: typeof suggestion === 'string' ? suggestion : null,
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
