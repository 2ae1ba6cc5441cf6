import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningGateway, startGateway } from '../../src/app/gateway.js';
import { resolveConfig, type UserOptions } from '../../src/config/options.js';
import type { CapturedRecord } from '../../src/core/record.js';
import { openDatabase } from '../../src/store/database.js';
import { openPool } from '../../src/store/postgres/connection.js';
import { type RecordRow, rowToRecord } from '../../src/store/rows.js';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface TestGateway {
  gateway: RunningGateway;
  url: string;
  storageDir: string;
  messages: string[];
  proxyUrl(name: string): string;
  api(path: string, init?: RequestInit): Promise<Response>;
  register(name: string, entry: Record<string, unknown>): Promise<void>;
  /** Every stored record, oldest first, after flushing the capture queue. */
  records(filter?: (record: CapturedRecord) => boolean): Promise<CapturedRecord[]>;
  stop(): Promise<void>;
}

/**
 * A real gateway on a free port with its own storage dir; mcp.json is written first when `servers` is
 * given. `env` is the environment its settings are read from (none by default); `store`, a PostgreSQL URL,
 * is where it captures (and where `records()` reads).
 */
export async function startTestGateway(
  options: UserOptions & { servers?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {},
): Promise<TestGateway> {
  const storageDir = options.storageDir ?? mkdtempSync(join(tmpdir(), 'mcp-gateway-test-'));
  if (options.servers) {
    writeFileSync(join(storageDir, 'mcp.json'), JSON.stringify({ mcpServers: options.servers }), {
      mode: 0o600,
    });
  }
  const config = resolveConfig({ port: 0, token: TEST_TOKEN, ...options, storageDir }, options.env ?? {});
  const messages: string[] = [];
  const gateway = await startGateway(config, {
    info: (m) => messages.push(m),
    warn: (m) => messages.push(`warning: ${m}`),
  });
  const url = gateway.url;
  let stopped = false;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
  return {
    gateway,
    url,
    storageDir,
    messages,
    proxyUrl: (name) => `${url}/s/${name}/mcp`,
    api,
    async register(name, entry) {
      const response = await api('/api/servers/config', {
        method: 'POST',
        body: JSON.stringify({ name, ...entry }),
      });
      if (response.status !== 201)
        throw new Error(`register ${name}: ${response.status} ${await response.text()}`);
    },
    async records(filter) {
      if (!stopped) await gateway.flushCapture();
      // `store`: the records are in PostgreSQL, read with plain SQL as rows.ts reads a row.
      if (options.store) {
        const pool = openPool(options.store, { max: 1 });
        try {
          const { rows } = await pool.query<RecordRow>('SELECT * FROM records ORDER BY id');
          const records = rows.map(rowToRecord);
          return filter ? records.filter(filter) : records;
        } finally {
          await pool.end();
        }
      }
      const db = openDatabase(join(storageDir, 'logs.db'), {
        readonly: true,
        key: gateway.config.storeKey,
      });
      try {
        const rows = db.prepare('SELECT * FROM records ORDER BY id').all() as RecordRow[];
        const records = rows.map(rowToRecord);
        return filter ? records.filter(filter) : records;
      } finally {
        db.close();
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await gateway.stop();
      if (!options.storageDir) rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
