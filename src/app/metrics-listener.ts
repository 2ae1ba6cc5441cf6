import { createServer, type Server } from 'node:http';
import type { PrometheusMetrics } from '../telemetry/prometheus.js';
import { listen, StartupError } from './listen.js';

/** The only address the token-less listener binds: other machines cannot reach it. */
export const METRICS_HOST = '127.0.0.1';

/** Host headers a scraper on this machine sends; anything else is a DNS-rebinding page (refused). */
function localHost(host: string | undefined, port: number): boolean {
  return host === `${METRICS_HOST}:${port}` || host === `localhost:${port}`;
}

export interface MetricsListener {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `--metrics-port N`: /metrics on 127.0.0.1:N, without a token, for a Prometheus (or agent) on the same
 * machine. Bound to loopback only; a browser page that rebinds a name to 127.0.0.1 is refused by the Host
 * check (its Host header names its own domain).
 */
export async function startMetricsListener(
  port: number,
  metrics: PrometheusMetrics,
  log: (message: string) => void,
): Promise<MetricsListener> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!localHost(req.headers.host, bound)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        `Blocked request: the metrics port answers only to ${METRICS_HOST}:${bound} and localhost:${bound}.\n`,
      );
      return;
    }
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found: this port serves GET /metrics only.\n');
      return;
    }
    metrics.scrape().then(
      ({ text, contentType }) => {
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        log(`metrics: could not render /metrics: ${(error as Error).message}`);
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Could not render the metrics; see the gateway terminal.\n');
      },
    );
  });
  let bound = port;
  try {
    bound = await listen(server, port, METRICS_HOST);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = (error as Error).message;
    throw new StartupError(
      message.includes('already in use') || code === 'EADDRINUSE'
        ? `--metrics-port ${port}: that port on ${METRICS_HOST} is already in use; choose another --metrics-port`
        : `--metrics-port ${port}: ${message}`,
      2,
    );
  }
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
