import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway } from '../src/app/gateway.js';
import { resolveConfig } from '../src/config/options.js';
import { prepareStorageDir } from '../src/storage/storage-dir.js';
import { openDatabase } from '../src/store/database.js';
import { measureCaptureThroughput } from './query/capture-throughput.js';
import { generateDatabase } from './query/generate.js';
import { searchTerms } from './query/search-terms.js';
import { type Timing, timeRequests } from './query/timing.js';
import { REFERENCES, SERVERS, TrafficGenerator } from './query/traffic.js';
import { type BenchSuite, markdownTable } from './suite.js';

/** Generated databases live here, never in the repository; removed at the end of a run. */
const DIR = '/tmp/mcp-gateway-bench-query';
const RECORDS = Number(process.env.BENCH_QUERY_RECORDS ?? 1_000_000);
const SPAN_MS = 72 * 3_600_000;
const TOKEN = 'bench-token-0123456789abcdef';
const RUNS = 200;

const TARGETS: Record<string, number> = { fullText: 20, keyset: 10, stats: 100 };

const ms = (value: number) => value.toFixed(2);

export const querySuite: BenchSuite = {
  name: 'query',
  async run() {
    rmSync(DIR, { recursive: true, force: true });
    const storageDir = join(DIR, 'storage');
    const traffic = new TrafficGenerator(7);
    // prepareStorageDir creates the directory with the right modes when the gateway starts; the
    // generator writes first, so it makes the directory itself.
    prepareStorageDir(storageDir, () => {});
    const servers = Object.fromEntries(
      Object.keys(SERVERS).map((name, i) => [name, { type: 'http', url: `http://127.0.0.1:${9 + i}/mcp` }]),
    );
    writeFileSync(join(storageDir, 'mcp.json'), JSON.stringify({ mcpServers: servers }), { mode: 0o600 });
    const database = join(storageDir, 'logs.db');
    process.stdout.write(`generating ${RECORDS} records in ${database} ...\n`);
    const generated = generateDatabase(database, traffic, RECORDS, SPAN_MS);
    process.stdout.write(`  ${generated.records} records in ${generated.seconds.toFixed(1)} s\n`);
    const terms = searchTerms(database, traffic, generated.records);

    const config = resolveConfig(
      {
        port: 0,
        token: TOKEN,
        storageDir,
        healthInterval: 0,
        retentionDays: 0,
        maxDbMb: 0,
        // Reads are measured back to back, far faster than any API client may go.
        apiRateLimit: 'off',
        apiRateLimitPerAddress: 'off',
      },
      {},
    );
    const gateway = await startGateway(config, {
      info: () => {},
      warn: (m) => process.stderr.write(`${m}\n`),
    });
    const base = gateway.url;
    const timings: { group: keyof typeof TARGETS | 'other'; timing: Timing }[] = [];
    const measure = async (
      group: keyof typeof TARGETS | 'other',
      name: string,
      paths: string[],
      runs = RUNS,
    ) => {
      const timing = await timeRequests(name, base, TOKEN, paths, runs);
      process.stdout.write(
        `  ${name}: p50 ${ms(timing.p50)} ms, p95 ${ms(timing.p95)} ms (${timing.rows} rows)\n`,
      );
      timings.push({ group, timing });
    };
    try {
      for (const { word, share } of terms) {
        await measure(
          'fullText',
          `free text, newest 50: "${word}" (in ${(share * 100).toFixed(2)}% of records)`,
          [`/api/logs?limit=50&filter=${encodeURIComponent(word)}`],
        );
      }
      await measure(
        'fullText',
        'free text, a phrase in a handful of records: "REF-<n>", newest 50',
        Array.from(
          { length: 50 },
          (_, i) => `/api/logs?limit=50&filter=${encodeURIComponent(`REF-${(i * 3989) % REFERENCES}`)}`,
        ),
      );
      const common = terms[terms.length - 1];
      const medium = terms[terms.length - 2];
      await measure('fullText', 'free text, two words (common and medium), newest 50', [
        `/api/logs?limit=50&filter=${encodeURIComponent(`${common?.word} ${medium?.word}`)}`,
      ]);
      await measure('fullText', 'free text with a field: "has:error <common word>", newest 50', [
        `/api/logs?limit=50&filter=${encodeURIComponent(`has:error ${common?.word}`)}`,
      ]);
      const sessions = generated.sessions.filter((_, i) => i % 37 === 0).slice(0, 50);
      await measure(
        'other',
        'session and method, newest 50',
        sessions.map(
          (s) => `/api/logs?limit=50&filter=${encodeURIComponent(`session:${s} method:tools/call`)}`,
        ),
      );
      const cursors = Array.from({ length: 50 }, (_, i) =>
        Math.floor(generated.records * (0.05 + (0.9 * i) / 50)),
      );
      await measure(
        'keyset',
        'deep keyset page (cursor anywhere in 1M), 50',
        cursors.map((c) => `/api/logs?limit=50&cursor=${c}`),
      );
      await measure(
        'keyset',
        'deep keyset page with server:github, 50',
        cursors.map((c) => `/api/logs?limit=50&cursor=${c}&filter=server:github`),
      );
      await measure('other', 'newest 50, no filter', ['/api/logs?limit=50']);
      await measure(
        'stats',
        'stats over the last hour (per server and method, 1m buckets)',
        ['/api/stats?filter=last:1h&bucket=1m'],
        60,
      );
      // What the Insights screen asks for over its longer ranges: whole slots come from the rollups.
      for (const range of ['24h', '7d']) {
        await measure(
          'stats',
          `stats over the last ${range}, as Insights asks (per server and method)`,
          [`/api/stats?filter=last:${range}&groupBy=server%2Bmethod`],
          60,
        );
      }
      await measure('other', 'sessions list, 50', ['/api/sessions?limit=50'], 60);
      await measure('other', 'servers with counts and health', ['/api/servers'], 60);
    } finally {
      await gateway.stop();
    }

    process.stdout.write('capture throughput ...\n');
    const throughput = await measureCaptureThroughput(database, new TrafficGenerator(99), 60_000);
    const emptyDir = join(DIR, 'empty');
    prepareStorageDir(emptyDir, () => {});
    openDatabase(join(emptyDir, 'logs.db'), { migrate: true }).close();
    const fresh = await measureCaptureThroughput(join(emptyDir, 'logs.db'), new TrafficGenerator(99), 60_000);
    process.stdout.write(
      `  ${throughput.messages} messages in ${throughput.seconds.toFixed(1)} s: ${Math.round(throughput.perSecond)}/s\n`,
    );
    process.stdout.write(`  empty database: ${Math.round(fresh.perSecond)}/s\n`);
    rmSync(DIR, { recursive: true, force: true });

    const verdict = (group: string, p95: number) => {
      const target = TARGETS[group];
      return target === undefined ? '' : p95 <= target ? `≤ ${target} ms ✓` : `≤ ${target} ms ✗`;
    };
    const table = markdownTable(
      ['Query (REST, end to end)', 'p50 ms', 'p95 ms', 'max ms', 'rows', 'answer KB', 'target p95'],
      timings.map(({ group, timing }) => [
        timing.name,
        ms(timing.p50),
        ms(timing.p95),
        ms(timing.max),
        String(timing.rows),
        timing.kilobytes.toFixed(0),
        verdict(group, timing.p95),
      ]),
    );
    const capture = markdownTable(
      [
        'Capture path (CaptureQueue → worker → SQLite, FTS on)',
        'messages',
        'seconds',
        'messages/s',
        'dropped',
        'target',
      ],
      [
        [`into the ${generated.records.toLocaleString('en-US')}-record database`, throughput] as const,
        ['into an empty database', fresh] as const,
      ].map(([where, result]) => [
        where,
        String(result.messages),
        result.seconds.toFixed(1),
        String(Math.round(result.perSecond)),
        String(result.dropped + result.storeFailures),
        result.perSecond >= 10_000 ? '≥ 10000/s ✓' : '≥ 10000/s ✗',
      ]),
    );
    return [
      '## Query API at scale',
      '',
      `${generated.records} generated records (${generated.sessions.length} sessions, 5 servers, realistic MCP payloads from a few hundred bytes to 64 KB) spread over 72 hours (about ${Math.round(generated.records / 72).toLocaleString('en-US')} in the last hour), written through the store's writer at ${Math.round(generated.records / generated.seconds)} records/s. Each query is timed through the REST API end to end (HTTP request to body read, on keep-alive connections), ${RUNS} runs (60 for the summaries) after a warm-up call. Capture throughput is measured through the proxy's own capture calls: 60,000 exchanges (tool calls, resource reads, notifications) emitted into the CaptureQueue, counted until the worker has stored them all.`,
      '',
      table,
      '',
      capture,
    ].join('\n');
  },
};
