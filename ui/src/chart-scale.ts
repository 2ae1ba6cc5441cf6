/** Axes for the SVG charts: round tick values and clock-aligned time ticks. Pure. */

/** 0 and evenly spaced round values (1, 2, 2.5 or 5 times a power of ten) covering `max`. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let value = 0; value < max + step * 0.999; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

const TIME_STEPS = [
  1_000, 5_000, 15_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000,
  43_200_000, 86_400_000, 604_800_000,
];

/** Times on whole steps (minutes, hours, days) between `from` and `to`, about `count` of them. */
export function timeTicks(from: number, to: number, count = 6): number[] {
  const span = Math.max(1, to - from);
  const step = TIME_STEPS.find((s) => span / s <= count) ?? (TIME_STEPS.at(-1) as number);
  // Whole local hours and days, not UTC ones.
  const offset = new Date(from).getTimezoneOffset() * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil((from - offset) / step) * step + offset; t <= to; t += step) ticks.push(t);
  return ticks;
}

/** A time label as precise as the span needs: 14:05:30, 14:05, or Mon 14:00. */
export function timeLabel(time: number, spanMs: number): string {
  const date = new Date(time);
  const hm = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  if (spanMs <= 5 * 60_000) return `${hm}:${String(date.getSeconds()).padStart(2, '0')}`;
  if (spanMs <= 2 * 86_400_000) return hm;
  return `${date.toLocaleDateString(undefined, { weekday: 'short' })} ${hm}`;
}

/** A linear scale from a domain onto pixels. */
export function linear(domain: [number, number], range: [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** Short numbers for axes: 950, 1.2k, 3.4M. */
export function shortNumber(value: number): string {
  if (Math.abs(value) >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (Math.abs(value) >= 1e3) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}
