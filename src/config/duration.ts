/** Units a duration may be written in, e.g. `90s`, `30m`, `12h`, `7d`; a bare number is seconds. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds from a duration such as `30m`; null when the text is not one. Zero is allowed: the caller
 * decides whether it means "off".
 */
export function parseDuration(value: string | number): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(String(value).trim());
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = UNITS[(match[2] ?? 's').toLowerCase()] ?? 1000;
  const ms = Math.round(amount * unit);
  return Number.isSafeInteger(ms) ? ms : null;
}
