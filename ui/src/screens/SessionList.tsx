import { useInfiniteQuery } from '@tanstack/react-query';
import { useRefetchOn } from '../activity';
import { api, errorMessage, withQuery } from '../api';
import { comparePath, type Marks, useMarks } from '../compare';
import { CompareBar } from '../components/CompareBar';
import { ListRowLink } from '../components/ListRowLink';
import { LoadMore } from '../components/LoadMore';
import { formatAgo, formatDuration, plural } from '../format';
import { useListKeys } from '../keyboard';
import { stepPage } from '../selection';
import type { Page, SessionJson } from '../types';

export function sessionPath(session: Pick<SessionJson, 'sessionId' | 'server'>): string {
  return withQuery(`/ui/sessions/${encodeURIComponent(session.sessionId)}`, { server: session.server });
}

const sessionKey = (session: SessionJson) => `${session.server}/${session.sessionId}`;

function SessionItem({
  session,
  selected,
  marks,
}: {
  session: SessionJson;
  selected: boolean;
  marks: Marks<SessionJson>;
}) {
  const client = [session.client.name, session.client.version].filter(Boolean).join(' ') || 'unknown client';
  const span = session.lastTimestamp === null ? null : session.lastTimestamp - session.firstTimestamp;
  const mark = (
    <label className="flex items-center pl-2" title="Mark to compare">
      <input
        type="checkbox"
        className="size-6"
        checked={marks.marked.some((m) => sessionKey(m) === sessionKey(session))}
        onChange={() => marks.toggle(session)}
        aria-label={`Compare session ${session.sessionId.slice(0, 8)} of ${client} on ${session.server}`}
      />
    </label>
  );
  return (
    <ListRowLink path={sessionPath(session)} selected={selected} before={mark}>
      <div className="flex items-baseline gap-2">
        <span className="truncate font-medium text-slate-900 dark:text-slate-100">{client}</span>
        <span className="text-slate-400" aria-hidden>
          →
        </span>
        <span className="sr-only">to</span>
        <span className="truncate">{session.server}</span>
        <span className="ml-auto shrink-0 text-slate-500" title={session.lastSeen ?? session.firstSeen}>
          {formatAgo(session.lastTimestamp ?? session.firstTimestamp)}
        </span>
      </div>
      <div className="mt-0.5 flex items-baseline gap-2 text-[11px] text-slate-500">
        <span className="font-mono">{session.sessionId.slice(0, 8)}</span>
        {session.sessionSource === 'derived' ? (
          <span title="No session went over the wire (MCP 2026-07-28): the gateway grouped this client's requests into a conversation">
            conversation
          </span>
        ) : null}
        {session.protocolVersion ? <span>MCP {session.protocolVersion}</span> : null}
        {span !== null ? <span>· {formatDuration(span) || '0 ms'}</span> : null}
        <span className="ml-auto tabular-nums">{plural(session.messages, 'msg')}</span>
        {session.errors > 0 ? (
          <span className="text-red-600 tabular-nums dark:text-red-400">{session.errors} err</span>
        ) : null}
      </div>
    </ListRowLink>
  );
}

/** Sessions, most recently active first; refreshed as traffic arrives. */
export function SessionList({ selected }: { selected: string | null }) {
  useRefetchOn(['sessions']);
  const sessions = useInfiniteQuery({
    queryKey: ['sessions'],
    queryFn: ({ pageParam, signal }) =>
      api<Page<SessionJson>>(withQuery('/api/sessions', { limit: 50, cursor: pageParam }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.pagination.hasMore ? last.pagination.nextCursor : undefined),
  });
  const list = sessions.data?.pages.flatMap((page) => page.data) ?? [];
  const marks = useMarks<SessionJson>(sessionKey);
  const [markA, markB] = marks.marked;
  const move = (direction: 1 | -1) =>
    stepPage(
      list,
      list.findIndex((session) => session.sessionId === selected),
      direction,
      sessionPath,
    );
  // An open session's timeline already answers j/k (and the arrows) for its messages, and reading a session
  // message by message is what those keys are for there; so the list takes them only while no session is
  // open, and Shift+J/K move to the next or previous session at any time.
  useListKeys({
    next: selected === null ? () => move(1) : undefined,
    previous: selected === null ? () => move(-1) : undefined,
    'next-outer': () => move(1),
    'previous-outer': () => move(-1),
  });
  return (
    <nav className="flex h-full min-h-0 flex-col" aria-label="Sessions">
      <div className="flex h-9 shrink-0 items-center border-b border-slate-200 px-3 text-xs font-medium text-slate-500 dark:border-slate-800">
        Sessions{sessions.data ? ` · ${list.length}${sessions.hasNextPage ? '+' : ''}` : ''}
        <span className="ml-auto">
          <CompareBar
            labels={marks.marked.map((s) => `Session ${s.sessionId.slice(0, 8)}`)}
            path={
              markA && markB
                ? comparePath(`session:${markA.sessionId}`, `session:${markB.sessionId}`, {
                    a: markA.server,
                    b: markB.server,
                  })
                : null
            }
            what="sessions"
            onClear={marks.clear}
          />
        </span>
      </div>
      <div className="min-h-0 flex-1 overflow-auto">
        {sessions.error ? (
          <p role="alert" className="p-3 text-xs text-red-600">
            {errorMessage(sessions.error)}
          </p>
        ) : null}
        {sessions.data && list.length === 0 ? (
          <p className="p-4 text-xs text-slate-500">
            No sessions yet. A session starts when a client sends initialize to a server through the gateway.
          </p>
        ) : null}
        <ul>
          {list.map((session) => (
            <SessionItem
              key={`${session.server}/${session.sessionId}`}
              session={session}
              selected={session.sessionId === selected}
              marks={marks}
            />
          ))}
        </ul>
        <LoadMore query={sessions} label="Load older sessions" />
      </div>
    </nav>
  );
}
