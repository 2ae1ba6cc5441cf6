import { useId, useLayoutEffect, useRef, useState } from 'react';
import { linear, niceTicks, shortNumber, timeLabel, timeTicks } from '../chart-scale';
import { ChartLegend, ChartTable, chartSummary, type KeyedSeries, MarkerShape } from './ChartKey';

/** A series: Tailwind fill/stroke classes (`color`), a swatch class, and for lines a dash and a marker. */
export type Series = KeyedSeries;

const MARGIN = { top: 8, right: 10, bottom: 20, left: 44 };

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

function linePath(
  values: readonly (number | null)[],
  x: (i: number) => number,
  y: (v: number) => number,
): string {
  let path = '';
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${x(i).toFixed(1)},${y(value).toFixed(1)}`;
    drawing = true;
  });
  return path;
}

/**
 * A chart over time drawn in SVG: bars and lines per bucket, round y ticks, clock-aligned x ticks, and a
 * tooltip with every series' value at the bucket under the pointer. A key names the series (lines differ by
 * dash and marker, not colour alone), and screen readers get a summary and the numbers as a table.
 */
export function TimeChart({
  title,
  starts,
  bucketMs,
  series,
  format = shortNumber,
  height = 150,
}: {
  title: string;
  starts: readonly number[];
  bucketMs: number;
  series: readonly Series[];
  format?: (value: number) => string;
  height?: number;
}) {
  const [box, width] = useWidth();
  const [hover, setHover] = useState<number | null>(null);
  const from = starts[0] ?? 0;
  const to = (starts.at(-1) ?? from) + bucketMs;
  const max = Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const yTicks = niceTicks(max);
  const y = linear([0, yTicks.at(-1) ?? 1], [height - MARGIN.bottom, MARGIN.top]);
  const x = linear([from, to], [MARGIN.left, width - MARGIN.right]);
  const band = Math.max(1, x(from + bucketMs) - x(from));
  const centre = (i: number) => x(starts[i] ?? from) + band / 2;
  const bars = series.filter((s) => s.kind === 'bar');
  const summaryId = useId();
  // Labels at the edges stay inside the chart instead of being cut in half.
  const anchor = (at: number) =>
    at < MARGIN.left + 24 ? 'start' : at > width - MARGIN.right - 24 ? 'end' : 'middle';
  return (
    <div ref={box} className="relative">
      <ChartLegend series={series} />
      <p id={summaryId} className="sr-only">
        {chartSummary(series, starts, format)}
      </p>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={title}
        aria-describedby={summaryId}
        className="block text-[10px]"
      >
        {yTicks.map((tick) => (
          <g key={tick}>
            <line
              x1={MARGIN.left}
              x2={width - MARGIN.right}
              y1={y(tick)}
              y2={y(tick)}
              className="stroke-slate-200 dark:stroke-slate-800"
            />
            <text x={MARGIN.left - 6} y={y(tick) + 3} textAnchor="end" className="fill-slate-500">
              {format(tick)}
            </text>
          </g>
        ))}
        {timeTicks(from, to).map((tick) => (
          <text key={tick} x={x(tick)} y={height - 6} textAnchor={anchor(x(tick))} className="fill-slate-500">
            {timeLabel(tick, to - from)}
          </text>
        ))}
        {bars.map((s) =>
          s.values.map((value, i) =>
            value ? (
              <rect
                key={`${s.label}-${starts[i]}`}
                x={x(starts[i] ?? from) + band * 0.1}
                width={Math.max(1, band * 0.8)}
                y={y(value)}
                height={Math.max(0.5, y(0) - y(value))}
                className={s.color}
              />
            ) : null,
          ),
        )}
        {series
          .filter((s) => s.kind === 'line')
          .map((s) => (
            <g key={s.label} className={s.color}>
              <path
                d={linePath(s.values, centre, y)}
                fill="none"
                strokeWidth={1.5}
                strokeDasharray={s.dash}
              />
              {s.values.map((value, i) =>
                value === null ? null : (
                  <MarkerShape key={starts[i]} marker={s.marker} x={centre(i)} y={y(value)} />
                ),
              )}
            </g>
          ))}
        {hover !== null ? (
          <line
            x1={centre(hover)}
            x2={centre(hover)}
            y1={MARGIN.top}
            y2={height - MARGIN.bottom}
            className="stroke-slate-400"
            strokeDasharray="2 2"
          />
        ) : null}
        {/* biome-ignore lint/a11y/noStaticElementInteractions: a pointer-only tooltip; the numbers are in the tables below */}
        <rect
          x={MARGIN.left}
          y={0}
          width={Math.max(0, width - MARGIN.left - MARGIN.right)}
          height={height}
          fill="transparent"
          onMouseMove={(event) => {
            const left = event.currentTarget.getBoundingClientRect().left;
            const index = Math.floor((event.clientX - left) / band);
            setHover(index >= 0 && index < starts.length ? index : null);
          }}
          onMouseLeave={() => setHover(null)}
        />
      </svg>
      {hover !== null ? (
        <div
          className="pointer-events-none absolute top-1 z-10 rounded-md border border-slate-200 bg-white/95 px-2 py-1 text-[11px] shadow-md dark:border-slate-700 dark:bg-slate-900/95"
          style={
            centre(hover) > width / 2 ? { right: width - centre(hover) + 8 } : { left: centre(hover) + 8 }
          }
        >
          <div className="mb-0.5 font-medium">{timeLabel(starts[hover] ?? from, 0)}</div>
          {series.map((s) => (
            <div key={s.label} className="flex items-center gap-1.5">
              <span className={`size-2 rounded-sm ${s.swatch}`} />
              {s.label}:{' '}
              <span className="font-mono">
                {s.values[hover] === null ? '—' : format(s.values[hover] ?? 0)}
              </span>
            </div>
          ))}
        </div>
      ) : null}
      <ChartTable title={title} series={series} starts={starts} format={format} />
    </div>
  );
}
