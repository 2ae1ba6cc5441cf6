import type { ServerJson } from '../types';

type HealthState = ServerJson['health']['state'];

const STYLE: Record<HealthState, { dot: string; label: string }> = {
  up: { dot: 'bg-emerald-500', label: 'up' },
  'auth-required': { dot: 'bg-amber-500', label: 'needs auth' },
  'not-found': { dot: 'bg-red-500', label: 'not found' },
  down: { dot: 'bg-red-500', label: 'down' },
  error: { dot: 'bg-red-500', label: 'error' },
  starting: { dot: 'bg-sky-500 animate-pulse', label: 'starting' },
  stopped: { dot: 'bg-slate-400', label: 'stopped' },
  misconfigured: { dot: 'bg-red-500', label: 'misconfigured' },
  unknown: { dot: 'bg-slate-300 dark:bg-slate-600', label: 'not checked' },
};

/** A server's health as a coloured dot and a word; the detail (what was seen) is its tooltip. */
export function HealthBadge({ health }: { health: ServerJson['health'] }) {
  const style = STYLE[health.state] ?? STYLE.unknown;
  return (
    <span className="inline-flex items-center gap-1.5 text-xs" title={health.detail ?? undefined}>
      <span className={`size-2 shrink-0 rounded-full ${style.dot}`} aria-hidden />
      <span>{style.label}</span>
    </span>
  );
}

export function TypeBadge({ type }: { type: ServerJson['type'] }) {
  return (
    <span className="rounded border border-slate-300 px-1 text-[10px] font-medium tracking-wide text-slate-500 uppercase dark:border-slate-700">
      {type}
    </span>
  );
}
