import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from '../test/helpers/ports.js';
import { type BenchClient, httpClient, stdioClient } from './stdio/clients.js';
import { cli, everythingStdio, type Running, startEverythingHttp, startGateway } from './stdio/processes.js';
import { type BenchSuite, markdownTable, percentile } from './suite.js';

/**
 * stdio servers through the gateway, against the same server (server-everything, echo tool) reached
 * directly over stdio and over Streamable HTTP, at concurrency 1 and 16; and `wrap` against direct stdio.
 * Targets are interleaved round by round, so that a noisy neighbour hurts all of them alike.
 */

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = { 1: 1000, 16: 4000 } as const;
const WARMUP = 300;

interface Sample {
  latencies: number[];
  calls: number;
  elapsedMs: number;
}

let nextId = 1;

async function run(client: BenchClient, concurrency: number, calls: number, sample?: Sample): Promise<void> {
  let started = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < calls) {
      started++;
      const t0 = performance.now();
      await client.call(nextId++);
      sample?.latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (sample) {
    sample.calls += calls;
    sample.elapsedMs += performance.now() - begin;
  }
}

function stats(sample: Sample) {
  const sorted = [...sample.latencies].sort((a, b) => a - b);
  return {
    throughput: (sample.calls / sample.elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

const ms = (value: number) => value.toFixed(3);
const rate = (value: number) => Math.round(value).toLocaleString('en-US');

async function measure(clients: BenchClient[], concurrency: 1 | 16): Promise<Map<string, Sample>> {
  const samples = new Map(clients.map((c) => [c.label, { latencies: [], calls: 0, elapsedMs: 0 } as Sample]));
  for (const client of clients) await run(client, concurrency, WARMUP);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round: no target always runs first (or last).
    const order = clients.map((_, i) => clients[(i + round) % clients.length] as BenchClient);
    for (const client of order) await run(client, concurrency, CALLS[concurrency], samples.get(client.label));
  }
  return samples;
}

async function throughputSection(): Promise<string> {
  const running: Running[] = [];
  const clients: BenchClient[] = [];
  try {
    const http = await startEverythingHttp(await freePort());
    running.push(http);
    const gateway = await startGateway();
    running.push(gateway);
    const rows: string[][] = [];
    for (const concurrency of [1, 16] as const) {
      const direct = [
        await stdioClient('direct stdio', everythingStdio.command, everythingStdio.args),
        await httpClient('direct HTTP', http.url, concurrency),
        await httpClient('gateway → stdio (shared)', gateway.url, concurrency),
        await httpClient('gateway → stdio (isolated)', gateway.isolatedUrl, concurrency),
      ];
      clients.push(...direct);
      const samples = await measure(direct, concurrency);
      const httpRate = stats(samples.get('direct HTTP') as Sample).throughput;
      for (const [label, sample] of samples) {
        const s = stats(sample);
        rows.push([
          label,
          String(concurrency),
          rate(s.throughput),
          ms(s.p50),
          ms(s.p99),
          (s.throughput / httpRate).toFixed(2),
        ]);
      }
      for (const client of direct) await client.close();
      clients.length = 0;
    }
    running.pop();
    const summary =
      /Captured .*(?:\n\s+\d+ capture event.*)?/.exec(await gateway.stop())?.[0] ?? 'no summary';
    return [
      '### Echo tool calls: through the gateway to a stdio server, and the same server directly',
      '',
      markdownTable(
        ['target', 'concurrency', 'calls/s', 'p50 ms', 'p99 ms', 'throughput vs direct HTTP'],
        rows,
      ),
      '',
      'Target: gateway → stdio throughput ≥ 0.80 × direct HTTP (in both session modes). The gateway captured every message into SQLite',
      `while it was measured; its shutdown summary: "${summary.replace(/\s+/g, ' ').trim()}"`,
    ].join('\n');
  } finally {
    for (const client of clients) await client.close().catch(() => {});
    for (const r of running.reverse()) await r.stop();
  }
}

async function wrapSection(): Promise<string> {
  const storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-bench-wrap-'));
  const wrap = cli(
    'wrap',
    '--storage-dir',
    storageDir,
    '--',
    everythingStdio.command,
    ...everythingStdio.args,
  );
  const clients = [
    await stdioClient('direct stdio', everythingStdio.command, everythingStdio.args),
    await stdioClient('wrap', wrap.command, wrap.args),
  ];
  try {
    const samples = await measure(clients, 1);
    const direct = stats(samples.get('direct stdio') as Sample);
    const wrapped = stats(samples.get('wrap') as Sample);
    const added = (wrapped.p50 - direct.p50) * 1000;
    return [
      '### wrap against direct stdio (concurrency 1)',
      '',
      markdownTable(
        ['target', 'calls/s', 'p50 ms', 'p99 ms'],
        [
          ['direct stdio', rate(direct.throughput), ms(direct.p50), ms(direct.p99)],
          ['wrap (recording into logs.db)', rate(wrapped.throughput), ms(wrapped.p50), ms(wrapped.p99)],
        ],
      ),
      '',
      `wrap adds ${added.toFixed(0)} µs at p50 (target ≤ 100 µs).`,
    ].join('\n');
  } finally {
    for (const client of clients) await client.close();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

export async function stdioSuite(): Promise<BenchSuite> {
  return {
    name: 'stdio servers',
    async run() {
      const throughput = await throughputSection();
      const wrap = await wrapSection();
      return [
        `## stdio servers`,
        '',
        `${ROUNDS} interleaved rounds of ${CALLS[1]} calls (concurrency 1) and ${CALLS[16]} calls (concurrency 16) per target, after ${WARMUP} warm-up calls. Clients are minimal (raw JSON-RPC lines; raw POSTs over an undici pool), so the figures are the servers' and the gateway's.`,
        '',
        throughput,
        '',
        wrap,
      ].join('\n');
    },
  };
}
