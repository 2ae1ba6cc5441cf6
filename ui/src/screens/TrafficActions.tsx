import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, errorMessage, send, withQuery } from '../api';
import { ConfirmDialog } from '../components/Modal';
import type { TrafficData } from '../traffic-data';

/** Live / paused, with how many messages arrived while paused. */
export function LiveButton({ traffic }: { traffic: TrafficData }) {
  const { live, feed } = traffic;
  if (live.paused) {
    const count = live.held.length;
    const held = live.overflowed ? `${count.toLocaleString()}+` : count.toLocaleString();
    return (
      <button type="button" onClick={traffic.resume} className="btn" title="Resume live updates">
        {/* The name is the visible text, so speech users can say what they see (WCAG 2.5.3). */}
        <span aria-hidden>▶</span> Resume
        {count > 0 ? (
          <span className="rounded-full bg-sky-700 px-1.5 text-[10px] text-white tabular-nums">
            {held} new<span className="sr-only"> messages</span>
          </span>
        ) : (
          <span className="sr-only"> live updates</span>
        )}
      </button>
    );
  }
  const connected = feed === 'live' || feed === 'connecting';
  return (
    <button
      type="button"
      onClick={traffic.pause}
      className="btn"
      // The visible word starts the name, so speech users can say it (WCAG 2.5.3).
      aria-label={connected ? 'Pause live updates' : 'Reconnecting; pause live updates'}
      title={
        connected
          ? 'New messages appear as they arrive. Pause to hold them.'
          : 'Connection lost; reconnecting…'
      }
    >
      <span
        className={`inline-block size-2 rounded-full ${connected ? 'animate-pulse bg-emerald-500' : 'bg-amber-500'}`}
        aria-hidden
      />
      {connected ? 'Live' : 'Reconnecting'}
      <span className="text-slate-400" aria-hidden>
        ❚❚
      </span>
    </button>
  );
}

/** The messages the filter matches, as JSONL (a download; the session cookie goes along). */
export function ExportLink({ filter }: { filter: string }) {
  return (
    <a
      href={withQuery('/api/logs/export', { filter })}
      download
      className="btn"
      title={filter ? `Download the messages matching ${filter} as JSONL` : 'Download every message as JSONL'}
    >
      Export
    </a>
  );
}

function messages(count: number): string {
  return `${count.toLocaleString()} message${count === 1 ? '' : 's'}`;
}

/**
 * Deletes what the filter matches (everything without one), after asking with the number it will delete
 * (`GET /api/logs/count`); then says how many it deleted, in a live region screen readers announce.
 */
export function ClearButton({ filter, onCleared }: { filter: string; onCleared: () => void }) {
  const [asking, setAsking] = useState(false);
  const [report, setReport] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const count = useQuery({
    queryKey: ['clear-count', filter],
    queryFn: ({ signal }) => api<{ count: number }>(withQuery('/api/logs/count', { filter }), { signal }),
    enabled: asking,
    staleTime: 0,
    gcTime: 0,
  });
  const clear = useMutation({
    mutationFn: () =>
      filter
        ? api<{ deleted: number }>(withQuery('/api/logs', { filter }), send('DELETE'))
        : api<{ deleted: number }>('/api/logs/clear', send('POST')),
    onSuccess: ({ deleted }) => {
      setAsking(false);
      setReport(deleted === 0 ? 'Nothing to delete: no message matched.' : `Deleted ${messages(deleted)}.`);
      onCleared();
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'logs' });
    },
  });
  useEffect(() => {
    if (report === null) return;
    const timer = setTimeout(() => setReport(null), 10_000);
    return () => clearTimeout(timer);
  }, [report]);
  const n = count.data?.count;
  return (
    <>
      {/* Polite, like a status, but not a second status region beside the live feed's announcer. */}
      <span aria-live="polite" className="shrink-0 text-xs text-slate-600 dark:text-slate-300">
        {report}
      </span>
      <button
        type="button"
        className="btn"
        onClick={() => {
          setReport(null);
          setAsking(true);
        }}
      >
        Clear…
      </button>
      {asking ? (
        <ConfirmDialog
          title={filter ? 'Delete matching messages' : 'Delete all messages'}
          confirmLabel={n === undefined ? 'Delete' : `Delete ${messages(n)}`}
          busy={clear.isPending}
          error={clear.error ? errorMessage(clear.error) : null}
          onConfirm={() => clear.mutate()}
          onClose={() => setAsking(false)}
        >
          {filter ? (
            <p>
              Delete {n === undefined ? 'every captured message' : messages(n)} matching{' '}
              <code className="rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">{filter}</code>?
            </p>
          ) : (
            <p>
              Delete {n === undefined ? 'every captured message' : `all ${messages(n)}`}, of every server? Set
              a filter first to delete only some.
            </p>
          )}
          {count.isError ? (
            <p className="text-xs text-amber-700 dark:text-amber-400">
              Could not count them first ({errorMessage(count.error)}); Delete still deletes every match.
            </p>
          ) : null}
          <p className="text-xs text-slate-500">This cannot be undone. Export them first to keep a copy.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
