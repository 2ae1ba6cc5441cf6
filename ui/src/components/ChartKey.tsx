import { timeLabel } from '../chart-scale';

/** The shape drawn at each point of a line, so lines differ by more than colour (WCAG 1.4.1). */
export type Marker = 'circle' | 'square' | 'diamond';

export interface KeyedSeries {
  label: string;
  kind: 'bar' | 'line';
  color: string;
  swatch: string;
  /** A stroke-dasharray for a line: solid, dashed or dotted tell the lines apart without colour. */
  dash?: string;
  marker?: Marker;
  values: readonly (number | null)[];
}

/** One point's marker, centred on (x, y); it takes the line's stroke from the group around it. */
export function MarkerShape({ marker = 'circle', x, y }: { marker?: Marker; x: number; y: number }) {
  const fill = 'fill-white dark:fill-slate-950';
  if (marker === 'square') {
    return <rect x={x - 2.25} y={y - 2.25} width={4.5} height={4.5} strokeWidth={1.5} className={fill} />;
  }
  if (marker === 'diamond') {
    const points = `${x},${y - 3.2} ${x + 3.2},${y} ${x},${y + 3.2} ${x - 3.2},${y}`;
    return <polygon points={points} strokeWidth={1.5} className={fill} />;
  }
  return <circle cx={x} cy={y} r={1.9} strokeWidth={1.5} className={fill} />;
}

/** The chart's key: each series' line (with its dash and marker) or bar colour, and its name. */
export function ChartLegend({ series }: { series: readonly KeyedSeries[] }) {
  return (
    <ul className="mb-1 flex flex-wrap gap-x-3 gap-y-0.5 text-[11px] text-slate-600 dark:text-slate-300">
      {series.map((s) => (
        <li key={s.label} className="flex items-center gap-1">
          {s.kind === 'bar' ? (
            <span className={`size-2.5 rounded-sm ${s.swatch}`} aria-hidden />
          ) : (
            <svg width={22} height={8} className={s.color} aria-hidden>
              <line x1={1} x2={21} y1={4} y2={4} strokeWidth={1.5} strokeDasharray={s.dash} />
              <MarkerShape marker={s.marker} x={11} y={4} />
            </svg>
          )}
          {s.label}
        </li>
      ))}
    </ul>
  );
}

/** Each series' highest value and when, in words: the chart's text alternative at a glance. */
export function chartSummary(
  series: readonly KeyedSeries[],
  starts: readonly number[],
  format: (value: number) => string,
): string {
  const span = (starts.at(-1) ?? 0) - (starts[0] ?? 0);
  return series
    .map((s) => {
      let best = -1;
      s.values.forEach((value, i) => {
        if (value !== null && (best < 0 || value > (s.values[best] ?? 0))) best = i;
      });
      const value = s.values[best];
      if (best < 0 || value === null || value === undefined || value === 0) return `${s.label}: none`;
      return `${s.label}: highest ${format(value)} at ${timeLabel(starts[best] ?? 0, span)}`;
    })
    .join('; ');
}

/**
 * The chart's numbers as a table for screen readers (visually hidden): one row per time bucket that has
 * any value, one column per series.
 */
export function ChartTable({
  title,
  series,
  starts,
  format,
}: {
  title: string;
  series: readonly KeyedSeries[];
  starts: readonly number[];
  format: (value: number) => string;
}) {
  const span = (starts.at(-1) ?? 0) - (starts[0] ?? 0);
  const rows = starts
    .map((start, i) => ({ start, values: series.map((s) => s.values[i] ?? null) }))
    .filter((row) => row.values.some((v) => v !== null && v !== 0));
  return (
    <table className="sr-only">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          {series.map((s) => (
            <th key={s.label} scope="col">
              {s.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.start}>
            <th scope="row">{timeLabel(row.start, span)}</th>
            {row.values.map((value, i) => (
              <td key={series[i]?.label}>{value === null ? '—' : format(value)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
