import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { stdioSuite } from './stdio.js';
import type { BenchSuite } from './suite.js';

/**
 * `npm run bench [suite ...]`: runs the benchmark suites (all by default) and updates bench/RESULTS.md.
 * Each suite owns one section of that file, so running one suite refreshes its figures and keeps the rest.
 * Suites are registered here, in the order they run.
 */
const SUITES: Record<string, () => Promise<BenchSuite>> = {
  proxy: async () => (await import('./proxy.js')).proxySuite,
  stdio: stdioSuite,
  query: async () => (await import('./query.js')).querySuite,
  'query-postgres': async () => (await import('./query-postgres.js')).queryPostgresSuite,
  capture: async () => (await import('./capture.js')).captureSuite,
  reads: async () => (await import('./reads-under-load.js')).readsSuite,
  encrypted: async () => (await import('./encrypted.js')).encryptedSuite,
  postgres: async () => (await import('./capture-postgres.js')).capturePostgresSuite,
};

const RESULTS = new URL('./RESULTS.md', import.meta.url);

function marker(name: string): { begin: string; end: string } {
  return { begin: `<!-- suite:${name} -->`, end: `<!-- /suite:${name} -->` };
}

/** The sections already in RESULTS.md, by suite name. */
function previousSections(): Map<string, string> {
  const sections = new Map<string, string>();
  if (!existsSync(RESULTS)) return sections;
  const text = readFileSync(RESULTS, 'utf8');
  for (const match of text.matchAll(/<!-- suite:([\w-]+) -->\n([\s\S]*?)\n<!-- \/suite:\1 -->/g)) {
    sections.set(match[1] as string, match[2] as string);
  }
  return sections;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(SUITES);
  const sections = previousSections();
  for (const name of names) {
    const load = SUITES[name];
    if (!load) throw new Error(`unknown suite "${name}"; known: ${Object.keys(SUITES).join(', ')}`);
    const suite = await load();
    process.stdout.write(`\n== ${suite.name} ==\n`);
    const section = `${await suite.run()}\n\n_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC._`;
    process.stdout.write(`${section}\n`);
    sections.set(name, section);
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    'Direct and gateway runs are interleaved in the same run; absolute times on a shared machine are noisy, the ratios are what to read.',
  ].join('\n');
  const ordered = [...Object.keys(SUITES), ...[...sections.keys()].filter((n) => !(n in SUITES))];
  const body = ordered
    .filter((name) => sections.has(name))
    .map((name) => `${marker(name).begin}\n${sections.get(name)}\n${marker(name).end}`)
    .join('\n\n');
  writeFileSync(RESULTS, `${header}\n\n${body}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
