import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { BenchSuite } from './suite.js';

/**
 * `npm run bench [suite ...]`: runs the benchmark suites (all by default) and writes bench/RESULTS.md.
 * Suites are registered here, in the order they run.
 */
const SUITES: Record<string, () => Promise<BenchSuite>> = {};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(SUITES);
  const sections: string[] = [];
  for (const name of names) {
    const load = SUITES[name];
    if (!load) throw new Error(`unknown suite "${name}"; known: ${Object.keys(SUITES).join(', ')}`);
    const suite = await load();
    process.stdout.write(`\n== ${suite.name} ==\n`);
    const section = await suite.run();
    process.stdout.write(`${section}\n`);
    sections.push(section);
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Benchmark results',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench\` on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    'Direct and gateway runs are interleaved in the same run; absolute times on a shared machine are noisy, the ratios are what to read.',
    '',
  ].join('\n');
  if (wanted.length === 0)
    writeFileSync(new URL('./RESULTS.md', import.meta.url), `${header}\n${sections.join('\n\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
