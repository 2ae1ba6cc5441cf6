import { formatDateTime, formatDuration } from '../format';
import type { CapturedRecord } from '../types';

/**
 * Where an answered request's time went, as far as the gateway knows it. The gateway stamps a request
 * once it has read it from the client, just before forwarding it, and an answer once it has passed it
 * on to the client (a JSON body: its last byte; an SSE event or a stdio line: as it arrives). The span
 * between is the upstream's: network, work, and the transfer of its answer. The gateway's own work
 * (reading the request, passing the last chunk on) lies outside it, and the upstream's time to its first
 * byte is not recorded, so neither is shown as a number.
 */
export function TimingBreakdown({
  request,
  response,
}: {
  request: CapturedRecord;
  response: CapturedRecord;
}) {
  const upstreamMs = response.durationMs ?? Math.max(0, response.timestamp - request.timestamp);
  const stdio = request.http.transport === 'stdio';
  const sse = response.http.transport.includes('sse');
  const answered = stdio
    ? 'Answer line read from its stdout'
    : sse
      ? 'Answer arrived as an SSE event and passed on'
      : 'Answer passed to the client (its last byte)';
  return (
    <section aria-label="Where the time went" className="mt-4 text-xs">
      <h3 className="mb-1 text-[11px] font-semibold tracking-wide text-slate-500 uppercase">
        Where the time went
      </h3>
      <ol className="space-y-0.5">
        <li className="grid grid-cols-[5rem_1fr] gap-x-3">
          <span className="font-mono tabular-nums">+0 ms</span>
          <span>
            {stdio ? 'Request written to the server’s stdin' : 'Request read from the client and forwarded'} ·{' '}
            <span className="text-slate-500">{formatDateTime(request.timestamp)}</span>
          </span>
        </li>
        <li className="grid grid-cols-[5rem_1fr] gap-x-3">
          <span className="font-mono tabular-nums">+{formatDuration(upstreamMs) || '0 ms'}</span>
          <span>
            {answered} · <span className="text-slate-500">{formatDateTime(response.timestamp)}</span>
          </span>
        </li>
      </ol>
      <dl className="mt-2 grid grid-cols-[140px_1fr] gap-x-3 gap-y-1">
        <dt className="text-slate-500">Upstream</dt>
        <dd>
          <span className="font-mono">{formatDuration(upstreamMs) || '0 ms'}</span> from forwarding the
          request to its answer: the network, the server’s work and the transfer of its answer.
        </dd>
        <dt className="text-slate-500">Gateway</dt>
        <dd>
          Outside that span: reading the request before forwarding it, and handing on the last chunk. The
          gateway never waits on capture while it forwards; its own time and the upstream’s time to the first
          byte are not recorded separately.
        </dd>
      </dl>
    </section>
  );
}
