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

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    credentials: 'same-origin',
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) },
  });
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
