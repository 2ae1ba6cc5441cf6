import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { api, errorMessage, withQuery } from '../api';
import { filterValue } from '../filter-check';
import { formatTime } from '../format';
import { useEventSource } from '../live';
import { paced, refetchWhenIdle } from '../refresh';
import type { StderrTail } from '../types';

/** The recent stderr of a stdio server's processes, following new lines as the server writes them. */
export function StderrViewer({ name }: { name: string }) {
  const queryClient = useQueryClient();
  const queryKey = useMemo(() => ['stderr', name], [name]);
  const tail = useQuery({
    queryKey,
    queryFn: ({ signal }) =>
      api<StderrTail>(withQuery(`/api/servers/${encodeURIComponent(name)}/stderr`, { limit: 500 }), {
        signal,
      }),
  });
  const refresh = useMemo(
    () => paced(() => refetchWhenIdle(queryClient, queryKey), 500),
    [queryClient, queryKey],
  );
  useEffect(() => refresh.cancel, [refresh]);
  useEventSource(
    withQuery('/api/events', { activity: 'true', filter: `server:${filterValue(name)} kind:stderr` }),
    (event) => {
      if (event.type === 'activity') refresh.request();
    },
  );

  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the end when new lines arrive
  useLayoutEffect(() => {
    if (box.current && pinned.current) box.current.scrollTop = box.current.scrollHeight;
  }, [tail.data]);

  const lines = tail.data?.lines ?? [];
  return (
    <section aria-label="stderr">
      <div className="mb-1 flex items-baseline gap-2">
        <h3 className="text-xs font-semibold">stderr</h3>
        <span className="text-[11px] text-slate-500">
          {tail.data
            ? `last ${lines.length} of ${tail.data.total.toLocaleString()} lines since the server started`
            : ''}
        </span>
      </div>
      {/* Always dark, like a terminal: the "dark" class gives it the dark theme's contrast-checked greys. It
          scrolls, so it takes the focus (WCAG 2.1.1); as a log, new lines are read out politely. */}
      <div
        ref={box}
        role="log"
        aria-label="stderr lines"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling log must be reachable by keyboard to scroll it
        tabIndex={0}
        onScroll={(event) => {
          const el = event.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        className="dark h-56 overflow-auto rounded-md border border-slate-200 bg-slate-950 p-2 font-mono text-[11px] leading-4 text-slate-200 dark:border-slate-800"
      >
        {tail.error ? <p className="text-red-400">{errorMessage(tail.error)}</p> : null}
        {tail.data && lines.length === 0 ? (
          <p className="text-slate-500">Nothing written to stderr yet.</p>
        ) : null}
        {lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are an append-only log
          <div key={index} className="flex gap-3 whitespace-pre-wrap">
            <span className="shrink-0 text-slate-500">{formatTime(Date.parse(line.time))}</span>
            <span className="break-all">
              {line.line}
              {line.truncated ? <span className="text-amber-400"> …(cut)</span> : null}
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}
