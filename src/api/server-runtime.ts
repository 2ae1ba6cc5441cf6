import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import type { ServerStatusProvider } from '../core/server-status.js';
import { DEFAULT_REDACTION, type RedactionPolicy } from '../redaction/policy.js';
import { Redactor } from '../redaction/redactor.js';
import type { Registry } from '../registry/registry.js';

export interface StderrTail {
  lines: { time: number; line: string; truncated: boolean; pid: number | null }[];
  /** Lines written since the server started, including those no longer kept. */
  total: number;
}

export interface ServerRuntimeDeps {
  registry: Registry;
  serverStatus: ServerStatusProvider;
  serverStderr(name: string, limit?: number): StderrTail | undefined;
  /** The capture policy's redaction: stderr shown here is redacted as its captured records are. */
  redaction?: () => RedactionPolicy;
}

const MAX_STDERR_LINES = 1000;

/**
 * `GET /api/servers/<name>/status`, `GET /api/servers/<name>/stderr`: the run state of a registered server,
 * and the recent stderr of the stdio processes the gateway runs. (Restarting is `POST .../restart`, in
 * servers.ts, which works for every kind of server.)
 */
export function serverRuntimeRoutes(deps: ServerRuntimeDeps): Hono {
  const app = new Hono();

  const known = (name: string) => {
    const config = deps.registry.get(name);
    if (!config) {
      const names = deps.registry.names();
      throw new GatewayError(
        404,
        `No server named "${name}". Registered: ${names.length > 0 ? names.join(', ') : '(none)'}.`,
      );
    }
    return config;
  };

  const stdioOnly = (name: string, what: string) => {
    if (known(name).type !== 'stdio') {
      throw new GatewayError(
        400,
        `Server "${name}" is an HTTP server: ${what} only exists for stdio servers, which the gateway runs as processes.`,
      );
    }
  };

  app.get('/:name/status', (c) => {
    const name = c.req.param('name');
    const config = known(name);
    const status = deps.serverStatus(name) ?? { state: 'unknown', since: Date.now() };
    return c.json({ name, type: config.type, ...status });
  });

  app.get('/:name/stderr', (c) => {
    const name = c.req.param('name');
    stdioOnly(name, 'stderr');
    const raw = c.req.query('limit');
    const limit = raw === undefined ? 200 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_STDERR_LINES) {
      throw new GatewayError(
        400,
        `"limit" must be a whole number from 1 to ${MAX_STDERR_LINES}; got "${raw}".`,
      );
    }
    const tail = deps.serverStderr(name, limit) ?? { lines: [], total: 0 };
    const redactor = new Redactor(deps.redaction?.() ?? DEFAULT_REDACTION);
    return c.json({
      name,
      total: tail.total,
      lines: tail.lines.map((l) => ({
        ...l,
        line: redactor.enabled ? redactor.text(l.line, name).text : l.line,
        time: new Date(l.time).toISOString(),
      })),
    });
  });

  return app;
}
