/**
 * The heavy reads, in a process of their own so that reading a 20 MB export or parsing a timeline never
 * delays the process that sends the proxied load (whose latencies would then be the benchmark's own).
 * `node --import tsx bench/reads/driver.ts '<ReadsPlan as JSON>'` cycles through the reads one after
 * another, as someone clicking through Insights, a search, an export and a long session would, until
 * `seconds` have passed or `cycles` are done. It prints `started` as its first read goes out, then
 * one line of JSON: a ReadsReport.
 */

export interface ReadsPlan {
  origin: string;
  token: string;
  seconds: number;
  cycles: number;
  /** GET paths read whole, by the name they are reported under. */
  gets: Record<string, string>;
  /** The export path (JSONL, streamed). */
  exportPath: string;
  /** The session whose whole timeline is read, page by page. */
  session: { id: string; pageSize: number };
  /** Which read each cycle starts with (rounds shorter than a cycle still see every read). */
  first: number;
}

export interface ReadsReport {
  cycles: number;
  /** Milliseconds per read, by name: each GET, "export", "timeline first page", "timeline". */
  timings: Record<string, number[]>;
  failures: string[];
  exportRecords: number;
  exportBytes: number;
  timelinePages: number;
  timelineRecords: number;
}

async function main(plan: ReadsPlan): Promise<ReadsReport> {
  const headers = { authorization: `Bearer ${plan.token}` };
  const report: ReadsReport = {
    cycles: 0,
    timings: {},
    failures: [],
    exportRecords: 0,
    exportBytes: 0,
    timelinePages: 0,
    timelineRecords: 0,
  };
  const time = (name: string, ms: number) => {
    report.timings[name] ??= [];
    report.timings[name].push(ms);
  };
  const get = async (path: string) => {
    const response = await fetch(`${plan.origin}${path}`, { headers });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as { pagination?: { hasMore: boolean; nextCursor: string | null } };
  };
  const reads: [string, () => Promise<void>][] = [
    ...Object.entries(plan.gets).map(([name, path]): [string, () => Promise<void>] => [
      name,
      async () => {
        await get(path);
      },
    ]),
    [
      'export',
      async () => {
        const response = await fetch(`${plan.origin}${plan.exportPath}`, { headers });
        if (response.status !== 200) throw new Error(`export: HTTP ${response.status}`);
        let records = 0;
        let bytes = 0;
        for await (const chunk of response.body as ReadableStream<Uint8Array>) {
          bytes += chunk.byteLength;
          for (const byte of chunk) if (byte === 10) records++;
        }
        report.exportRecords = records;
        report.exportBytes = bytes;
      },
    ],
    [
      'timeline',
      async () => {
        const base = `/api/sessions/${encodeURIComponent(plan.session.id)}?limit=${plan.session.pageSize}&fields=summary`;
        let cursor: string | null = null;
        let pages = 0;
        let records = 0;
        const started = performance.now();
        do {
          const page = (await get(cursor === null ? base : `${base}&cursor=${cursor}`)) as {
            data: unknown[];
            pagination: { hasMore: boolean; nextCursor: string | null };
          };
          if (pages === 0) time('timeline first page', performance.now() - started);
          pages++;
          records += page.data.length;
          cursor = page.pagination.hasMore ? page.pagination.nextCursor : null;
        } while (cursor !== null && pages < 1000);
        report.timelinePages = pages;
        report.timelineRecords = records;
      },
    ],
  ];
  process.stdout.write('started\n');
  const deadline = performance.now() + plan.seconds * 1000;
  while (report.cycles < plan.cycles && performance.now() < deadline) {
    for (let i = 0; i < reads.length; i++) {
      const [name, read] = reads[(plan.first + i) % reads.length] as (typeof reads)[number];
      if (performance.now() >= deadline) break;
      const started = performance.now();
      try {
        await read();
        time(name, performance.now() - started);
      } catch (error) {
        report.failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    report.cycles++;
  }
  return report;
}

main(JSON.parse(process.argv[2] ?? '{}') as ReadsPlan).then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
