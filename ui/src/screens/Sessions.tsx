import { EmptyState } from '../components/EmptyState';
import { SessionList } from './SessionList';
import { SessionView } from './SessionView';

/** Sessions: the list on the left, the selected session's timeline on the right. */
export function Sessions({ url, sessionId }: { url: URL; sessionId: string | null }) {
  const server = url.searchParams.get('server');
  return (
    // Narrow (a small window, or zoomed in: WCAG 1.4.10 reflow), the list sits above the session, not beside it.
    <div className="flex h-full min-h-0 flex-col md:flex-row">
      <div className="max-h-[35%] shrink-0 border-b border-slate-200 md:max-h-none md:w-[340px] md:border-r md:border-b-0 dark:border-slate-800">
        <SessionList selected={sessionId} />
      </div>
      <div className="min-h-0 min-w-0 flex-1">
        {sessionId ? (
          <SessionView key={`${server}/${sessionId}`} url={url} sessionId={sessionId} server={server} />
        ) : (
          <EmptyState title="Read a session end to end">
            <p>
              Pick a session on the left to see every message between its client and server in order, with the
              time each request took, the quiet stretches between them, and the server's stderr meanwhile.
            </p>
            <p className="text-xs text-slate-500">
              Keys: j / k pick a session; in a session they move through its messages, Enter opens one, Esc
              closes it, and Shift+J / Shift+K go to the next or previous session.
            </p>
          </EmptyState>
        )}
      </div>
    </div>
  );
}
