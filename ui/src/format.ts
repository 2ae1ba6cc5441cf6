/** Small formatting helpers shared by the screens. */

export function formatTime(timestamp: number): string {
  const date = new Date(timestamp);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Year, month and day as digits, in local time: 2026-11-28. */
export function formatDay(timestamp: number): string {
  const date = new Date(timestamp);
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
}

/** The whole moment, for tooltips: 2026-11-28 14:03:05.123. */
export function formatFullTime(timestamp: number): string {
  return `${formatDay(timestamp)} ${formatTime(timestamp)}`;
}

const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/**
 * A row's time: the time of day for today's rows (to the millisecond, as traffic is read at that pace),
 * with the day in front of older ones, so rows from different days never look alike: "Nov 28 14:03:05";
 * from another year, "2025-11-28 14:03".
 */
export function formatRowTime(timestamp: number, now = Date.now()): string {
  const date = new Date(timestamp);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) return formatTime(timestamp);
  const time = `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
  if (date.getFullYear() !== today.getFullYear()) return `${formatDay(timestamp)} ${time}`;
  return `${monthDay.format(date)} ${time}:${pad2(date.getSeconds())}`;
}

export function formatDateTime(timestamp: number): string {
  return `${new Date(timestamp).toLocaleDateString()} ${formatTime(timestamp)}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return n.toLocaleString();
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** A count for a narrow column: exact below 10,000, then 12.3K, 262.1K, 1.2M. */
export function formatCompactCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return n < 10_000 ? n.toLocaleString() : compact.format(n);
}

export function shortId(id: string | null | undefined): string {
  if (!id) return '';
  return id.length > 8 ? id.slice(0, 8) : id;
}

/** A stable colour per method family, so a table of traffic reads at a glance. */
export function methodColor(method: string | null): string {
  if (!method) return 'bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300';
  if (method.startsWith('tools/')) return 'bg-blue-100 text-blue-800 dark:bg-blue-950 dark:text-blue-200';
  if (method.startsWith('resources/'))
    return 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200';
  if (method.startsWith('prompts/'))
    return 'bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-200';
  if (method.startsWith('sampling/') || method.startsWith('elicitation/') || method.startsWith('roots/')) {
    return 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200';
  }
  if (method === 'initialize' || method.startsWith('notifications/initialized')) {
    return 'bg-cyan-100 text-cyan-800 dark:bg-cyan-950 dark:text-cyan-200';
  }
  if (method.startsWith('notifications/'))
    return 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300';
  return 'bg-pink-100 text-pink-800 dark:bg-pink-950 dark:text-pink-200';
}

/** "12 s ago", "5 min ago", "3 h ago", or the date for anything older than a day. */
export function formatAgo(timestamp: number | null | undefined, now = Date.now()): string {
  if (timestamp === null || timestamp === undefined) return '—';
  const seconds = Math.max(0, Math.round((now - timestamp) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(timestamp).toLocaleDateString();
}

export function formatPercent(rate: number): string {
  if (rate === 0) return '0%';
  if (rate < 0.001) return '<0.1%';
  return `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;
}

/** An offset from the start of a session: "+0.000 s", "+1:02.5". */
export function formatOffset(ms: number): string {
  if (ms < 60_000) return `+${(ms / 1000).toFixed(3)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `+${minutes}:${((ms % 60_000) / 1000).toFixed(1).padStart(4, '0')}`;
}

/** "1 message", "12 messages" (the word given in the singular). */
export function plural(count: number, word: string): string {
  return `${count.toLocaleString()} ${word}${count === 1 ? '' : 's'}`;
}
