/**
 * A rate: at most `requests` in any `perMs`, as written in mcp.json (`{"requests": 60, "per": "1m"}`) or on
 * the command line (`600/1m`). Periods are whole seconds, minutes or hours.
 */
export interface Rate {
  readonly requests: number;
  readonly perMs: number;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
const PERIOD = /^(\d+)?\s*(s|m|h)$/;
const DAY_MS = 86_400_000;
export const MAX_REQUESTS = 1_000_000;

/** `2s`, `1m`, `h` (one hour): milliseconds, or null when the text is no such period (or over a day). */
export function parsePeriod(text: string): number | null {
  const match = PERIOD.exec(text.trim());
  if (!match) return null;
  const count = match[1] === undefined ? 1 : Number(match[1]);
  const ms = count * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms > 0 && ms <= DAY_MS ? ms : null;
}

/** `600/1m`: the rate, or null when the text is no rate; `off` and `0` are handled by the caller. */
export function parseRate(text: string): Rate | null {
  const slash = text.indexOf('/');
  if (slash === -1) return null;
  const countText = text.slice(0, slash).trim();
  const requests = Number(countText);
  const perMs = parsePeriod(text.slice(slash + 1));
  if (!/^\d+$/.test(countText) || requests < 1 || requests > MAX_REQUESTS || perMs === null) return null;
  return { requests, perMs };
}

/** `600/1m` back again, for messages and the status. */
export function describeRate(rate: Rate): string {
  const { perMs } = rate;
  const period =
    perMs % UNIT_MS.h === 0
      ? `${perMs / UNIT_MS.h}h`
      : perMs % UNIT_MS.m === 0
        ? `${perMs / UNIT_MS.m}m`
        : `${perMs / 1000}s`;
  return `${rate.requests}/${period}`;
}
