import { useMemo } from 'react';
import { errorMessage, withQuery } from '../api';
import { CopyButton } from '../components/CopyButton';
import { DetailPane } from '../components/DetailPane';
import { LoadMore } from '../components/LoadMore';
import { RecordDetail } from '../components/RecordDetail';
import { SessionTimeline } from '../components/SessionTimeline';
import { filterValue } from '../filter-check';
import { formatDateTime, formatDuration } from '../format';
import { linkClick } from '../router';
import { useRecordSelection } from '../selection';
import { useSessionTimeline } from '../session-data';
import { buildTimeline } from '../timeline';
import type { SessionJson } from '../types';

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
  const timeline = useSessionTimeline(sessionId, server);
  const { session, records } = timeline;
  const layout = useMemo(() => buildTimeline(records), [records]);
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
        <SessionTimeline
          timeline={layout}
          selectedId={selectedId}
          onSelect={choose}
          onNearEnd={timeline.loadMore}
          footer={<LoadMore query={timeline} label="Load the rest of the session" />}
        />
      </div>
      {openId !== null ? (
        <DetailPane>
          <RecordDetail
            key={openId}
            id={openId}
            preview={records.find((r) => r.id === openId)}
            onClose={close}
            inSession
          />
        </DetailPane>
      ) : null}
    </div>
  );
}
