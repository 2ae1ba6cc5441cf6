import {
  CLIENT_PATHS,
  type ClientPath,
  clientPathEnv,
  SERVER_PATHS,
  type ServerPath,
  startConformanceServer,
  startEverythingServer,
  type TargetServer,
  urlForPath,
} from '../test/fixtures/conformance-paths.js';
import {
  describeDifference,
  expectedThroughGateway,
  runClientScenarios,
  runServerScenarios,
  type SuiteOutcome,
  settleTiming,
  TIMING_CHECKS,
} from '../test/fixtures/conformance-suite.js';
import { startTestGateway, type TestGateway } from '../test/helpers/gateway.js';

/**
 * `npm run conformance`: the official MCP conformance suite, every server scenario against two servers
 * (the suite's own conformance server, test/fixtures/conformance-server.ts, and server-everything) and
 * every non-auth client scenario with the SDK v1 client, direct and on each path through the gateway.
 * Prints the number of checks passed per path and every check whose outcome differs from direct; exits
 * 1 when one does. See docs/conformance.md.
 */

const CLIENT_SCENARIOS = ['initialize', 'tools_call', 'elicitation-sep1034-client-defaults', 'sse-retry'];

type Row = { what: string; mode: 'server' | 'client'; outcomes: Map<string, SuiteOutcome> };

async function serverRow(gw: TestGateway, target: TargetServer): Promise<Row> {
  const outcomes = new Map<string, SuiteOutcome>();
  for (const path of SERVER_PATHS) {
    const started = Date.now();
    const url = await urlForPath(gw, target, path as ServerPath);
    if (url === null) continue;
    outcomes.set(path, await runServerScenarios(url));
    console.error(`  ${target.name} ${path}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { what: `server scenarios, ${target.name}`, mode: 'server', outcomes };
}

async function clientRow(gw: TestGateway): Promise<Row> {
  const outcomes = new Map<string, SuiteOutcome>();
  for (const path of CLIENT_PATHS) {
    const started = Date.now();
    const env = clientPathEnv(gw, path as ClientPath);
    const first = await runClientScenarios(CLIENT_SCENARIOS, env);
    // Timing checks get a second chance on every path, direct included (TIMING_CHECKS).
    const expected = [...new Set([...(outcomes.get('direct')?.passed ?? first.passed), ...TIMING_CHECKS])];
    outcomes.set(path, await settleTiming(first, expected, (again) => runClientScenarios(again, env)));
    console.error(`  client ${path}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { what: 'client scenarios, SDK v1 client', mode: 'client', outcomes };
}

function printTable(rows: Row[]): number {
  const paths = [...new Set(rows.flatMap((row) => [...row.outcomes.keys()]))];
  const width = Math.max(...rows.map((row) => row.what.length));
  console.log(`\n${''.padEnd(width)}  ${paths.map((p) => p.padStart(16)).join('')}`);
  for (const row of rows) {
    const cells = paths.map((path) => {
      const outcome = row.outcomes.get(path);
      return (
        outcome ? `${outcome.passed.length}/${outcome.passed.length + outcome.failed.length}` : '-'
      ).padStart(16);
    });
    console.log(`${row.what.padEnd(width)}  ${cells.join('')}`);
  }
  let differences = 0;
  for (const row of rows) {
    const direct = row.outcomes.get('direct');
    if (!direct) continue;
    const expected = expectedThroughGateway(direct, row.mode);
    for (const [path, outcome] of row.outcomes) {
      if (path === 'direct') continue;
      const lines = describeDifference(`${row.what}, ${path}`, expected, outcome);
      if (lines.length > 0) {
        differences++;
        console.log(`\n${lines.join('\n')}`);
      }
    }
  }
  console.log(differences === 0 ? '\nEvery path keeps the pass set measured direct.' : '');
  return differences;
}

async function main(): Promise<void> {
  const gw = await startTestGateway();
  const servers = [await startConformanceServer(), await startEverythingServer()];
  try {
    const rows: Row[] = [];
    for (const server of servers) rows.push(await serverRow(gw, server));
    rows.push(await clientRow(gw));
    process.exitCode = printTable(rows) === 0 ? 0 : 1;
  } finally {
    await gw.stop();
    for (const server of servers) await server.stop();
  }
}

await main();
