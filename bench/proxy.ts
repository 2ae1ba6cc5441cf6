import type { Pool } from 'undici';
import {
  JSON_RPC_HEADERS,
  openPool,
  openSession,
  paced,
  saturate,
  sequential,
  streamTimes,
  type Target,
} from './proxy/load.js';
import {
  type GatewayProcess,
  startBareForwarder,
  startEverythingHttp,
  startFastUpstream,
  startGatewayProcess,
  type Upstream,
} from './proxy/processes.js';
import { type BenchSuite, markdownTable, percentile } from './suite.js';

const ROUNDS = 3;

const us = (value: number) => `${value.toFixed(0)} µs`;
const ratio = (value: number) => `${value.toFixed(2)}x`;
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => percentile(sorted(values), 50);

interface Pair {
  direct: Target;
  gateway: Target;
}

/** Runs `measure` for direct and gateway alternately, ROUNDS times each, so both see the same machine. */
async function interleaved<T>(
  pair: Pair,
  measure: (target: Target, round: number) => Promise<T>,
): Promise<{ direct: T[]; gateway: T[] }> {
  const direct: T[] = [];
  const gateway: T[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      direct.push(await measure(pair.direct, round));
      gateway.push(await measure(pair.gateway, round));
    } else {
      gateway.push(await measure(pair.gateway, round));
      direct.push(await measure(pair.direct, round));
    }
  }
  return { direct, gateway };
}

/** CPU the gateway spent per request over `work`, in microseconds. */
async function cpuPerRequest<T extends { count: number }>(
  gateway: GatewayProcess,
  work: () => Promise<T>,
): Promise<T & { cpuUs: number }> {
  const before = gateway.cpuMs();
  const result = await work();
  return { ...result, cpuUs: ((gateway.cpuMs() - before) * 1000) / result.count };
}

async function latencyRow(
  label: string,
  pair: Pair,
  pools: Map<Target, Pool>,
  count: number,
  gateway: GatewayProcess,
): Promise<string[]> {
  let cpu = 0;
  const runs = await interleaved(pair, async (target) => {
    const pool = pools.get(target) as Pool;
    await sequential(pool, target, Math.min(200, count));
    if (target === pair.gateway) {
      const result = await cpuPerRequest(gateway, async () => ({
        count,
        latencies: await sequential(pool, target, count),
      }));
      cpu += result.cpuUs / ROUNDS;
      return result.latencies;
    }
    return sequential(pool, target, count);
  });
  const direct = sorted(runs.direct.flat());
  const through = sorted(runs.gateway.flat());
  const p50 = [percentile(direct, 50), percentile(through, 50)];
  const p99 = [percentile(direct, 99), percentile(through, 99)];
  return [
    label,
    us(p50[0] as number),
    us(p50[1] as number),
    us((p50[1] as number) - (p50[0] as number)),
    us(p99[0] as number),
    us(p99[1] as number),
    us((p99[1] as number) - (p99[0] as number)),
    us(cpu),
  ];
}

async function throughputRow(
  label: string,
  pair: Pair,
  pools: Map<Target, Pool>,
  concurrency: number,
  seconds: number,
  gateway: GatewayProcess,
  body?: () => string,
): Promise<{ row: string[]; ratio: number }> {
  let cpu = 0;
  const runs = await interleaved(pair, async (target) => {
    const pool = pools.get(target) as Pool;
    if (target === pair.gateway) {
      const result = await cpuPerRequest(gateway, () => saturate(pool, target, concurrency, seconds, body));
      cpu += result.cpuUs / ROUNDS;
      return result.rps;
    }
    return (await saturate(pool, target, concurrency, seconds, body)).rps;
  });
  const direct = median(runs.direct);
  const through = median(runs.gateway);
  return {
    ratio: through / direct,
    row: [label, `${direct.toFixed(0)}/s`, `${through.toFixed(0)}/s`, ratio(through / direct), us(cpu)],
  };
}

function pools(pairs: Pair[], connections: number): Map<Target, Pool> {
  const map = new Map<Target, Pool>();
  for (const pair of pairs) {
    map.set(pair.direct, openPool(pair.direct, connections));
    map.set(pair.gateway, openPool(pair.gateway, connections));
  }
  return map;
}

async function closePools(map: Map<Target, Pool>): Promise<void> {
  await Promise.all([...map.values()].map((pool) => pool.close()));
}

/**
 * The same small tools/call direct, through a bare forwarder (bench/proxy/bare-forwarder.ts) and through
 * the gateway, interleaved: what any Node.js proxy adds on this machine, and what the gateway adds on top.
 */
async function floorSection(fast: Upstream, gateway: GatewayProcess): Promise<string> {
  const bare = await startBareForwarder(fast, '/mcp');
  try {
    const targets: [string, Target][] = [
      ['direct', { origin: fast.origin, path: '/mcp', headers: JSON_RPC_HEADERS }],
      ['bare forwarder', { origin: bare.origin, path: '/mcp', headers: JSON_RPC_HEADERS }],
      ['gateway', { origin: gateway.origin, path: '/s/fast/mcp', headers: JSON_RPC_HEADERS }],
    ];
    const latencies = new Map<string, number[]>();
    const rates = new Map<string, number[]>();
    for (const [name, target] of targets) {
      const pool = openPool(target, 1);
      await sequential(pool, target, 300);
      await pool.close();
      latencies.set(name, []);
      rates.set(name, []);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, target] of round % 2 === 0 ? targets : [...targets].reverse()) {
        const single = openPool(target, 1);
        latencies.get(name)?.push(...(await sequential(single, target, 3000)));
        await single.close();
        const wide = openPool(target, 32);
        rates.get(name)?.push((await saturate(wide, target, 32, 3)).rps);
        await wide.close();
      }
    }
    const directP50 = percentile(sorted(latencies.get('direct') ?? []), 50);
    const directRate = median(rates.get('direct') ?? []);
    const rows = targets.map(([name]) => {
      const p50 = percentile(sorted(latencies.get(name) ?? []), 50);
      const rate = median(rates.get(name) ?? []);
      return [
        name,
        us(p50),
        name === 'direct' ? '' : us(p50 - directP50),
        `${rate.toFixed(0)}/s`,
        ratio(rate / directRate),
      ];
    });
    return [
      '**The floor: a bare forwarder** (node:http in, an undici pool out, nothing checked, parsed or captured), small tools/call against the fast upstream, in the same run:',
      '',
      markdownTable(
        ['path', 'p50 (1 at a time)', 'added p50', 'throughput (32 at a time)', 'vs direct'],
        rows,
      ),
    ].join('\n');
  } finally {
    await bare.stop();
  }
}

async function captureSoak(fast: Upstream): Promise<string> {
  const gateway = await startGatewayProcess({ fast: { type: 'http', url: `${fast.origin}/mcp` } });
  try {
    const target: Target = { origin: gateway.origin, path: '/s/fast/mcp', headers: JSON_RPC_HEADERS };
    const pool = openPool(target, 16);
    await sequential(pool, target, 500);
    const samples: string[] = [`${gateway.rssMb().toFixed(0)}`];
    const requests = 50_000;
    const seconds = await paced(pool, target, requests, 5_000, 16, 10_000, () =>
      samples.push(gateway.rssMb().toFixed(0)),
    );
    let status = await gateway.status();
    for (let i = 0; i < 100 && status.capture.captured < requests * 2 + 1000 - status.capture.dropped; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await gateway.status();
    }
    samples.push(gateway.rssMb().toFixed(0));
    await pool.close();
    const messages = requests * 2;
    return [
      `**Capture soak**: ${requests.toLocaleString('en')} tools/call through the gateway (${messages.toLocaleString('en')} messages) at ${(messages / seconds).toFixed(0)} messages/s, 16 at a time, against the fast upstream.`,
      '',
      markdownTable(
        [
          'gateway RSS (MB) at start, every 20k messages, after',
          'messages captured',
          'capture drops',
          'store failures',
          'logs.db + WAL',
        ],
        [
          [
            samples.join(' → '),
            status.capture.captured.toLocaleString('en'),
            String(status.capture.dropped),
            String(status.capture.storeFailures),
            `${(gateway.dbBytes() / 2 ** 20).toFixed(0)} MB`,
          ],
        ],
      ),
    ].join('\n');
  } finally {
    await gateway.stop();
  }
}

async function run(): Promise<string> {
  const fast = await startFastUpstream();
  const everything = await startEverythingHttp();
  const gateway = await startGatewayProcess({
    fast: { type: 'http', url: `${fast.origin}/mcp` },
    big: { type: 'http', url: `${fast.origin}/big?bytes=1048576` },
    stream: { type: 'http', url: `${fast.origin}/sse?events=1000` },
    everything: { type: 'http', url: `${everything.origin}/mcp` },
  });
  try {
    const pair = (direct: string, through: string): Pair => ({
      direct: { origin: fast.origin, path: direct, headers: JSON_RPC_HEADERS },
      gateway: { origin: gateway.origin, path: through, headers: JSON_RPC_HEADERS },
    });
    const fastPair = pair('/mcp', '/s/fast/mcp');
    const bigPair = pair('/big?bytes=1048576', '/s/big/mcp');
    const streamPair = pair('/sse?events=1000', '/s/stream/mcp');
    const everythingPair: Pair = {
      direct: await openSession({ origin: everything.origin, path: '/mcp', headers: JSON_RPC_HEADERS }),
      gateway: await openSession({
        origin: gateway.origin,
        path: '/s/everything/mcp',
        headers: JSON_RPC_HEADERS,
      }),
    };

    const single = pools([fastPair, everythingPair, bigPair], 1);
    const latency = [
      await latencyRow('fast upstream, small tools/call', fastPair, single, 3000, gateway),
      await latencyRow('server-everything, echo', everythingPair, single, 500, gateway),
      await latencyRow('fast upstream, 1 MB result', bigPair, single, 40, gateway),
    ];
    await closePools(single);

    const wide = pools([fastPair, everythingPair], 32);
    const fastThroughput = await throughputRow(
      'fast upstream, small tools/call, 32 at a time',
      fastPair,
      wide,
      32,
      3,
      gateway,
    );
    const everythingThroughput = await throughputRow(
      'server-everything, echo, 32 at a time',
      everythingPair,
      wide,
      32,
      3,
      gateway,
    );
    await closePools(wide);
    const bigPools = pools([bigPair], 4);
    const bigThroughput = await throughputRow(
      'fast upstream, 1 MB result, 4 at a time',
      bigPair,
      bigPools,
      4,
      3,
      gateway,
    );
    await closePools(bigPools);

    const streams = await interleaved(streamPair, async (target) => {
      const times = [];
      for (let i = 0; i < 10; i++) times.push(await streamTimes(target));
      return times;
    });
    const streamTotal = (runs: { totalMs: number }[][]) => median(runs.flat().map((t) => t.totalMs));
    const streamFirst = (runs: { firstMs: number }[][]) => median(runs.flat().map((t) => t.firstMs));

    const floor = await floorSection(fast, gateway);
    const soak = await captureSoak(fast);
    return [
      '## Streamable HTTP proxy',
      '',
      'Gateway: the built CLI in its own process, capturing everything into SQLite. Upstreams: a node:http server with canned answers ("fast upstream") and `@modelcontextprotocol/server-everything` in streamableHttp mode. Load: undici keep-alive pools from the benchmark process.',
      '',
      '**Latency, one request at a time** (added = gateway − direct; CPU = gateway process CPU per request):',
      '',
      markdownTable(
        [
          'scenario',
          'direct p50',
          'gateway p50',
          'added p50',
          'direct p99',
          'gateway p99',
          'added p99',
          'gateway CPU/req',
        ],
        latency,
      ),
      '',
      '**Throughput at saturation:**',
      '',
      markdownTable(
        ['scenario', 'direct', 'gateway', 'ratio', 'gateway CPU/req'],
        [fastThroughput.row, everythingThroughput.row, bigThroughput.row],
      ),
      '',
      `**SSE stream of 1000 events** (median of ${ROUNDS * 10} streams): first event direct ${streamFirst(streams.direct).toFixed(2)} ms, gateway ${streamFirst(streams.gateway).toFixed(2)} ms; whole stream direct ${streamTotal(streams.direct).toFixed(2)} ms, gateway ${streamTotal(streams.gateway).toFixed(2)} ms (${ratio(streamTotal(streams.direct) / streamTotal(streams.gateway))} of direct speed).`,
      '',
      floor,
      '',
      soak,
    ].join('\n');
  } finally {
    await gateway.stop();
    await Promise.all([fast.stop(), everything.stop()]);
  }
}

export const proxySuite: BenchSuite = { name: 'Streamable HTTP proxy', run };
