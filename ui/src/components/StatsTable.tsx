import { formatDuration, formatPercent } from '../format';
import type { GroupStats } from '../types';

function LatencyRange({ group, max }: { group: GroupStats; max: number }) {
  if (group.p50Ms === null || max <= 0) return null;
  const at = (ms: number | null) => `${Math.min(100, ((ms ?? 0) / max) * 100)}%`;
  return (
    <div
      className="relative h-2 w-full rounded-full bg-slate-100 dark:bg-slate-800"
      title="p50 · p95 · p99"
      role="img"
      aria-label={`p50 ${formatDuration(group.p50Ms)}, p95 ${formatDuration(group.p95Ms)}, p99 ${formatDuration(group.p99Ms)}`}
    >
      <div
        className="absolute inset-y-0 left-0 rounded-full bg-sky-200 dark:bg-sky-900"
        style={{ width: at(group.p99Ms) }}
      />
      <div
        className="absolute inset-y-0 left-0 rounded-full bg-sky-400 dark:bg-sky-700"
        style={{ width: at(group.p95Ms) }}
      />
      <div
        className="absolute inset-y-0 left-0 rounded-full bg-sky-600 dark:bg-sky-500"
        style={{ width: at(group.p50Ms) }}
      />
    </div>
  );
}

/** Per server or per method: counts, error rate, latency percentiles (with a p50/p95/p99 bar), tokens. */
export function StatsTable({
  title,
  groups,
  label,
}: {
  title: string;
  groups: readonly GroupStats[];
  label: (g: GroupStats) => string;
}) {
  const max = Math.max(0, ...groups.map((g) => g.p99Ms ?? 0));
  const cell = 'px-2 py-1 text-right tabular-nums';
  return (
    <section aria-label={title} className="min-w-0">
      <h2 className="mb-1.5 text-xs font-semibold">{title}</h2>
      {/* A table this wide scrolls sideways on its own when the window is narrow, not the whole page. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must take the focus so keyboard users can scroll it (WCAG 2.1.1) */}
      <div className="overflow-x-auto" tabIndex={0}>
        <table className="w-full text-xs">
          <thead className="text-[11px] text-slate-500">
            <tr className="border-b border-slate-200 dark:border-slate-800">
              <th className="px-2 py-1 text-left font-medium">Name</th>
              <th className={`${cell} font-medium`}>Requests</th>
              <th className={`${cell} font-medium`}>Errors</th>
              <th className={`${cell} font-medium`}>p50</th>
              <th className={`${cell} font-medium`}>p95</th>
              <th className={`${cell} font-medium`}>p99</th>
              <th className="w-40 px-2 py-1 font-medium">Latency</th>
              <th className={`${cell} font-medium`}>Tokens</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={label(g)} className="border-b border-slate-100 dark:border-slate-900">
                <td className="max-w-72 truncate px-2 py-1 font-mono" title={label(g)}>
                  {label(g)}
                </td>
                <td className={cell}>{g.requests.toLocaleString()}</td>
                <td
                  className={`${cell} ${g.errors > 0 ? 'text-red-600 dark:text-red-400' : 'text-slate-400'}`}
                >
                  {g.errors > 0 ? `${g.errors} (${formatPercent(g.errorRate)})` : '0'}
                </td>
                <td className={cell}>{formatDuration(g.p50Ms) || '—'}</td>
                <td className={cell}>{formatDuration(g.p95Ms) || '—'}</td>
                <td className={cell}>{formatDuration(g.p99Ms) || '—'}</td>
                <td className="px-2 py-1">
                  <LatencyRange group={g} max={max} />
                </td>
                <td className={`${cell} text-slate-500`}>{g.tokens ? g.tokens.toLocaleString() : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A short ranked list with a bar per row (the slowest, the most failing). */
export function RankList({
  title,
  rows,
  empty,
}: {
  title: string;
  rows: { label: string; value: number; text: string; tone: string }[];
  empty: string;
}) {
  const max = Math.max(0, ...rows.map((r) => r.value));
  return (
    <section
      aria-label={title}
      className="min-w-0 rounded-md border border-slate-200 p-3 dark:border-slate-800"
    >
      <h2 className="mb-2 text-xs font-semibold">{title}</h2>
      {rows.length === 0 ? <p className="text-xs text-slate-500">{empty}</p> : null}
      <ol className="space-y-1.5">
        {rows.map((row) => (
          <li key={row.label} className="text-xs">
            <div className="flex gap-2">
              <span className="min-w-0 flex-1 truncate font-mono" title={row.label}>
                {row.label}
              </span>
              <span className="shrink-0 tabular-nums">{row.text}</span>
            </div>
            <div className="mt-0.5 h-1 rounded-full bg-slate-100 dark:bg-slate-800">
              <div
                className={`h-1 rounded-full ${row.tone}`}
                style={{ width: `${max > 0 ? (row.value / max) * 100 : 0}%` }}
              />
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
