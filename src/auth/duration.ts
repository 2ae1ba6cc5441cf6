/** How long a token lasts, as people write it: `90m`, `12h`, `30d`, `8w`. */
const UNITS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** Ten years: past that, "never expires" is what is meant, and should be said so (no --expires). */
const LONGEST_MS = 3650 * 86_400_000;

/** Bad input for a duration; the message says what to type instead. */
export class DurationError extends Error {
  override name = 'DurationError';
}

/** Milliseconds for `30d` and the like; throws DurationError with the fix in its message. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d{1,7})\s*([mhdw])\s*$/i.exec(text);
  if (!match) {
    throw new DurationError(
      `"${text}" is not a duration: write a whole number and a unit, such as 90m, 12h, 30d or 8w`,
    );
  }
  const ms = Number(match[1]) * (UNITS[(match[2] as string).toLowerCase()] as number);
  if (ms <= 0) throw new DurationError(`a token cannot expire after "${text}": give a duration above zero`);
  if (ms > LONGEST_MS) {
    throw new DurationError(
      `"${text}" is more than ten years: leave expiry out for a token that never expires`,
    );
  }
  return ms;
}
