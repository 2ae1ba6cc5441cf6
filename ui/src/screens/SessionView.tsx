import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, errorMessage, withQuery } from '../api';
import { CopyButton } from '../components/CopyButton';
import { DetailPane } from '../components/DetailPane';
import { LoadMore } from '../components/LoadMore';
import { RecordDetail } from '../components/RecordDetail';
import { SessionTimeline } from '../components/SessionTimeline';
import { filterValue } from '../filter-check';
import { formatDateTime, formatDuration } from '../format';
import { throttle, useEventSource } from '../live';
import { linkClick } from '../router';
import { useRecordSelection } from '../selection';
import { buildTimeline } from '../timeline';
import type { SessionJson, SessionTimelinePage } from '../types';

function SessionHeader({ session }: { session: SessionJson }) {
  const client = [session.client.name, session.client.version].filter(Boolean).join(' ') || 'unknown client';
  const upstream = [session.upstream.name, session.upstream.version].filter(Boolean).join(' ');
  const filter = `session:${filterValue(session.sessionId)}`;
  const span = session.lastTimestamp === null ? null : session.lastTimestamp - session.firstTimestamp;
  return (
    <div className="shrink-0 border-b border-slate-200 px-4 py-2.5 dark:border-slate-800">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="min-w-0 truncate text-sm font-semibold">
          {client}{' '}
          <span className="font-normal text-slate-400" aria-hidden>
            →
          </span>
          <span className="sr-only">to</span> {session.server}
          {upstream ? <span className="font-normal text-slate-500"> ({upstream})</span> : null}
        </h2>
        <span className="ml-auto flex shrink-0 gap-1.5">
          <a
            className="btn btn-sm"
            href={withQuery('/ui/traffic', { filter })}
            onClick={linkClick(withQuery('/ui/traffic', { filter }))}
          >
            Open in Traffic
          </a>
          <a className="btn btn-sm" href={withQuery('/api/logs/export', { filter })} download>
            Export
          </a>
        </span>
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-500">
        <span className="flex items-center gap-1">
          <span className="font-mono">{session.sessionId}</span>
          <CopyButton text={session.sessionId} label="Copy id" />
        </span>
        {session.protocolVersion ? <span>MCP {session.protocolVersion}</span> : null}
        <span>started {formatDateTime(session.firstTimestamp)}</span>
        {span !== null ? <span>lasted {formatDuration(span) || '0 ms'}</span> : null}
        <span className="tabular-nums">{session.messages.toLocaleString()} messages</span>
        <span className={session.errors > 0 ? 'text-red-600 dark:text-red-400' : ''}>
          {session.errors} error{session.errors === 1 ? '' : 's'}
        </span>
      </div>
    </div>
  );
}

/** One session: its header, its timeline (kept current while it runs), and the message opened from it. */
export function SessionView({
  url,
  sessionId,
  server,
}: {
  url: URL;
  sessionId: string;
  server: string | null;
}) {
  const queryClient = useQueryClient();
  const queryKey = useMemo(() => ['session', server, sessionId], [server, sessionId]);
  const timeline = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) =>
      api<SessionTimelinePage>(
        withQuery(`/api/sessions/${encodeURIComponent(sessionId)}`, {
          server,
          limit: 500,
          cursor: pageParam,
          // Rows only: the message opened from the timeline is fetched whole.
          fields: 'summary',
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.pagination.hasMore ? last.pagination.nextCursor : undefined),
    retry: false,
  });
  const session = timeline.data?.pages[0]?.session;
  const records = useMemo(() => timeline.data?.pages.flatMap((page) => page.data) ?? [], [timeline.data]);
  const layout = useMemo(() => buildTimeline(records), [records]);

  // While the session runs, its server's traffic refreshes the timeline (stderr lines belong to it too).
  const refresh = useMemo(
    () => throttle(() => void queryClient.invalidateQueries({ queryKey }), 2000),
    [queryClient, queryKey],
  );
  useEventSource(
    session
      ? withQuery('/api/events', { activity: 'true', filter: `server:${filterValue(session.server)}` })
      : null,
    (event) => {
      if (event.type === 'activity' || event.type === 'records-deleted') refresh.call();
    },
  );

  const { selectedId, openId, choose, close } = useRecordSelection(url, records);

  if (timeline.error) {
    return (
      <p role="alert" className="p-6 text-sm text-red-600 dark:text-red-400">
        {errorMessage(timeline.error)}
      </p>
    );
  }
  if (!session) return <p className="p-6 text-sm text-slate-500">Loading the session…</p>;
  return (
    <div className="flex h-full min-h-0">
      <div className="flex min-w-0 flex-1 flex-col">
        <SessionHeader session={session} />
        <div className="min-h-0 flex-1 overflow-auto">
          <SessionTimeline timeline={layout} selectedId={selectedId} onSelect={choose} />
          <LoadMore query={timeline} label="Load the rest of the session" />
        </div>
      </div>
      {openId !== null ? (
        <DetailPane>
          <RecordDetail
            key={openId}
            id={openId}
            preview={records.find((r) => r.id === openId)}
            onClose={close}
          />
        </DetailPane>
      ) : null}
    </div>
  );
}
