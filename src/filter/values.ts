import { ValueProblem } from './errors.js';

/** Value parsers shared by the fields: numbers, durations with units, points in time. */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export function parseNumber(raw: string, what: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new ValueProblem(`${what} must be a number; got "${raw}"`);
  }
  return value;
}

/** "250", "250ms", "1.5s", "2m", "1h", "3d", "1w" → milliseconds; a bare number is `bareUnit`. */
export function parseDuration(raw: string, what: string, bareUnit: 'ms' | null = 'ms'): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/i.exec(raw.trim());
  if (!match) {
    throw new ValueProblem(`${what} must be a duration such as 250ms, 1.5s, 15m, 2h or 7d; got "${raw}"`);
  }
  const unit = (match[2] ?? bareUnit)?.toLowerCase();
  if (!unit) throw new ValueProblem(`${what} needs a unit: write ${raw}m, ${raw}h or ${raw}d`);
  return Number(match[1]) * (UNIT_MS[unit] as number);
}

/** A point in time: absolute (epoch ms) or relative to when the filter runs ("15m" ago, "now"). */
export type TimeSpec = { at: number } | { ago: number };

export function resolveTime(spec: TimeSpec, now: number): number {
  return 'at' in spec ? spec.at : now - spec.ago;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Accepts ISO 8601 ("2025-05-01", "2025-05-01T10:30", "2025-05-01T10:30:00Z"), epoch milliseconds, "now",
 * and durations meaning "that long ago" ("15m", "2h", "7d", also written "-15m"). A date or time without a
 * zone is local time, as a user reading the terminal clock would expect (JavaScript alone would read a
 * bare date as UTC).
 */
export function parseTime(raw: string, what: string): TimeSpec {
  const text = raw.trim();
  if (text.toLowerCase() === 'now') return { ago: 0 };
  const relative = text.startsWith('-') ? text.slice(1) : text;
  if (/^\d+(?:\.\d+)?(ms|s|m|h|d|w)$/i.test(relative)) return { ago: parseDuration(relative, what) };
  if (/^\d{11,}$/.test(text)) return { at: Number(text) };
  const date = DATE_ONLY.exec(text);
  if (date) {
    return { at: new Date(Number(date[1]), Number(date[2]) - 1, Number(date[3])).getTime() };
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) {
    const parsed = Date.parse(text.replace(' ', 'T'));
    if (Number.isFinite(parsed)) return { at: parsed };
  }
  throw new ValueProblem(
    `${what} must be a date or time such as 2025-05-01, 2025-05-01T10:30 or 2025-05-01T10:30:00Z, epoch milliseconds, or a duration ago such as 15m, 2h or 7d; got "${raw}"`,
  );
}

/** "4xx" → [400, 499]: a class of HTTP statuses. */
export function parseStatusClass(raw: string): [number, number] | null {
  const match = /^([1-5])xx$/i.exec(raw.trim());
  if (!match) return null;
  const base = Number(match[1]) * 100;
  return [base, base + 99];
}

/** "10kb", "2mb", "512" (bytes) → bytes. */
export function parseSize(raw: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)(b|kb|mb|gb)?$/i.exec(raw.trim());
  if (!match) throw new ValueProblem(`${what} must be a size such as 512, 10kb or 2mb; got "${raw}"`);
  const factor = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[
    (match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb' | 'gb'
  ];
  return Math.round(Number(match[1]) * factor);
}
