import { GatewayError } from '../core/errors.js';
import { isSafeMethod } from './csrf.js';

/**
 * Changes to the API take JSON bodies only. A page on another site can send text/plain, form or
 * multipart bodies without a CORS preflight (Fetch standard, "CORS-safelisted request-header"), but not
 * application/json, so refusing the rest closes that way in even before the CSRF check. The one JSONL
 * route takes the JSON Lines types too.
 */
const JSON_ONLY: ReadonlySet<string> = new Set(['application/json']);
const JSONL_ROUTE = '/api/logs/import';
const JSONL_TYPES: ReadonlySet<string> = new Set([
  'application/x-ndjson',
  'application/jsonl',
  'application/json',
]);

export interface BodyRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
}

/** The media type of a Content-Type value (RFC 9110 §8.3.1), lowercase, without parameters. */
export function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export function bodyTypeRefusal(request: BodyRequest): GatewayError | null {
  if (isSafeMethod(request.method)) return null;
  const jsonl = request.path === JSONL_ROUTE;
  const allowed = jsonl ? JSONL_TYPES : JSON_ONLY;
  if (request.contentType === undefined) {
    // No body, no type: a POST that only triggers something (restart, health check) or a DELETE.
    const hasBody =
      request.transferEncoding !== undefined ||
      (request.contentLength !== undefined && request.contentLength.trim() !== '0');
    if (!hasBody) return null;
  } else if (allowed.has(mediaType(request.contentType))) {
    return null;
  }
  const sent =
    request.contentType === undefined ? 'no Content-Type' : `Content-Type "${request.contentType}"`;
  return new GatewayError(
    415,
    jsonl
      ? `Unsupported body type (${sent}): send the JSONL with "Content-Type: application/x-ndjson" (curl: -H "Content-Type: application/x-ndjson" --data-binary @records.jsonl).`
      : `Unsupported body type (${sent}): send the body as JSON with "Content-Type: application/json".`,
  );
}
