import { describeAction, type FaultRule } from '../faults/rule.js';

/**
 * The REST API's control-plane acts, as the audit log names them. One table, so a reviewer sees at a
 * glance what is audited, and a new route is audited by adding one line here.
 */
export interface RestAction {
  method: string;
  /** Matched against the whole path; the first group, when there is one, is the target. */
  path: RegExp;
  action: string;
  /** The target when the path has none: read from the request (body or query). */
  target?: (request: RestRequest) => Promise<string | null> | string | null;
  /** A short detail read from a successful JSON answer. */
  detail?: (answer: Record<string, unknown>) => string | undefined;
}

export interface RestRequest {
  query(name: string): string | undefined;
  json(): Promise<unknown>;
}

/** The filter a records act applied to: filter= or server= as given, else every record. */
const filterTarget = (filter: unknown, server: unknown) =>
  typeof filter === 'string' && filter !== ''
    ? filter
    : typeof server === 'string' && server !== ''
      ? `server:${server}`
      : 'all records';

async function bodyField(request: RestRequest, ...names: string[]): Promise<Record<string, unknown>> {
  try {
    const body = await request.json();
    if (body && typeof body === 'object') {
      return Object.fromEntries(names.map((n) => [n, (body as Record<string, unknown>)[n]]));
    }
  } catch {
    // An empty or malformed body: the handler has already answered 400, or the act needs no body.
  }
  return {};
}

const SERVER = '([^/]+)';

/** "f3: delay 500 ms" from a fault rule in an answer. */
function faultDetail(fault: unknown): string | undefined {
  if (!fault || typeof fault !== 'object') return undefined;
  const rule = fault as FaultRule;
  return `${rule.id}: ${describeAction(rule)}`;
}

export const REST_ACTIONS: readonly RestAction[] = [
  {
    method: 'POST',
    path: /^\/api\/servers\/config\/?$/,
    action: 'server.add',
    target: async (r) => {
      const { name } = await bodyField(r, 'name');
      return typeof name === 'string' ? name : null;
    },
  },
  { method: 'PUT', path: new RegExp(`^/api/servers/config/${SERVER}$`), action: 'server.update' },
  { method: 'DELETE', path: new RegExp(`^/api/servers/config/${SERVER}$`), action: 'server.remove' },
  {
    method: 'POST',
    path: new RegExp(`^/api/servers/pending/${SERVER}/approve$`),
    action: 'server.approve',
    detail: (a) => (typeof a.commandLine === 'string' ? `started: ${a.commandLine}` : undefined),
  },
  { method: 'POST', path: new RegExp(`^/api/servers/pending/${SERVER}/reject$`), action: 'server.deny' },
  {
    method: 'POST',
    path: new RegExp(`^/api/servers/${SERVER}/restart$`),
    action: 'server.restart',
    detail: (a) => (typeof a.detail === 'string' ? a.detail : undefined),
  },
  {
    method: 'DELETE',
    path: /^\/api\/logs\/?$/,
    action: 'records.delete',
    target: (r) =>
      r.query('all') === 'true' ? 'all records' : filterTarget(r.query('filter'), r.query('server')),
    detail: (a) => `${a.deleted} record(s) deleted`,
  },
  {
    method: 'POST',
    path: /^\/api\/logs\/clear$/,
    action: 'records.clear',
    target: async (r) => {
      const { filter, server } = await bodyField(r, 'filter', 'server');
      return filterTarget(filter, server);
    },
    detail: (a) => `${a.deleted} record(s) deleted`,
  },
  {
    method: 'POST',
    path: /^\/api\/logs\/import$/,
    action: 'records.import',
    target: () => null,
    detail: (a) => `${a.imported} record(s) imported, ${a.skipped} skipped`,
  },
  {
    method: 'GET',
    path: /^\/api\/logs\/export$/,
    action: 'records.export',
    target: (r) => filterTarget(r.query('filter'), r.query('server')),
  },
  {
    method: 'POST',
    path: /^\/api\/faults\/?$/,
    action: 'fault.add',
    target: async (r) => {
      const { filter } = await bodyField(r, 'filter');
      return typeof filter === 'string' ? filter : null;
    },
    detail: (a) => faultDetail(a.fault),
  },
  {
    method: 'DELETE',
    path: /^\/api\/faults\/([^/]+)$/,
    action: 'fault.remove',
    detail: (a) => faultDetail(a.fault),
  },
  {
    method: 'POST',
    path: /^\/api\/logs\/(\d+)\/replay$/,
    action: 'replay.send',
    detail: (a) => {
      const replay = a.replay as { request?: { id?: unknown } | null } | undefined;
      return typeof replay?.request?.id === 'number' ? `replayed as record ${replay.request.id}` : undefined;
    },
  },
  {
    method: 'POST',
    path: /^\/api\/intercepts\/?$/,
    action: 'intercept.add',
    target: async (r) => {
      const { filter } = await bodyField(r, 'filter');
      return typeof filter === 'string' ? filter : null;
    },
    detail: (a) => (typeof a.id === 'string' ? `rule ${a.id}` : undefined),
  },
  { method: 'DELETE', path: /^\/api\/intercepts\/([^/]+)$/, action: 'intercept.remove' },
  ...(['forward', 'drop', 'reply'] as const).map(
    (act): RestAction => ({
      method: 'POST',
      path: new RegExp(`^/api/intercepts/held/([^/]+)/${act}$`),
      action: `intercept.${act}`,
      detail: (a) => {
        const held = a.released as { server?: unknown; method?: unknown } | undefined;
        return held ? `${String(held.server)} ${String(held.method ?? '')}`.trim() : undefined;
      },
    }),
  ),
  { method: 'PUT', path: new RegExp(`^/api/secrets/${SERVER}$`), action: 'secret.set' },
  { method: 'DELETE', path: new RegExp(`^/api/secrets/${SERVER}$`), action: 'secret.remove' },
];
