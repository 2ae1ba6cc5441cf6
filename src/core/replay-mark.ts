import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How the gateway tells its own replays apart on the loopback leg: the replay client sends this header,
 * the proxy reads it (capture records `replayOf`) and never forwards it. Its value carries a secret made
 * at each start and never shown anywhere, so an ordinary client cannot pass its traffic off as a replay.
 */
export const REPLAY_HEADER = 'x-mcp-gateway-replay';

const SECRET = randomBytes(32).toString('base64url');
const SECRET_BYTES = Buffer.from(SECRET);

/** The header value that marks a request as the replay of record `id`. */
export function replayMark(id: number): string {
  return `${id}.${SECRET}`;
}

/**
 * The record a request replays, from its header value, or null when it has none or a forged one. Called
 * on the proxy's path: a request without the header costs one property read.
 */
export function replayOfHeader(value: string | string[] | undefined): number | null {
  if (typeof value !== 'string') return null;
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const id = Number(value.slice(0, dot));
  const sent = Buffer.from(value.slice(dot + 1));
  if (!Number.isSafeInteger(id) || id < 1 || sent.length !== SECRET_BYTES.length) return null;
  return timingSafeEqual(sent, SECRET_BYTES) ? id : null;
}
