import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ServerPath,
  startConformanceServer,
  startEverythingServer,
  type TargetServer,
  urlForPath,
} from '../fixtures/conformance-paths.js';
import {
  describeDifference,
  expectedThroughGateway,
  runServerScenarios,
  type SuiteOutcome,
} from '../fixtures/conformance-suite.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * The official MCP conformance suite's server scenarios (all of them, pending ones included), run against
 * a server directly and through the gateway on each path: the checks that pass directly pass on every
 * path, and no others (but the Host/Origin check the gateway adds for every server, GATEWAY_ADDS).
 * The suite's own conformance server exercises sampling, elicitation, progress, logging, subscriptions
 * and SSE resumption; server-everything is the reference server. stdio-isolated starts one process per
 * session (the suite opens one per scenario), so it runs with server-everything, which starts fastest;
 * server-everything also speaks the legacy HTTP+SSE transport, which the gateway bridges (`sse`).
 */
const PATHS: Record<string, ServerPath[]> = {
  conformance: ['http', 'stdio-shared', 'wrap', 'connect'],
  everything: ['http', 'stdio-shared', 'stdio-isolated', 'sse'],
};

describe.each([
  { name: 'conformance', start: startConformanceServer },
  { name: 'everything', start: startEverythingServer },
])('the conformance suite against $name', ({ name, start }) => {
  let gw: TestGateway;
  let server: TargetServer;
  let direct: SuiteOutcome;

  beforeAll(async () => {
    [gw, server] = await Promise.all([startTestGateway(), start()]);
    direct = await runServerScenarios(server.url);
  }, 120_000);

  afterAll(async () => {
    await gw?.stop();
    await server?.stop();
  });

  it('passes checks directly (the baseline the paths are held to)', () => {
    expect(direct.missing).toEqual([]);
    expect(direct.passed.length).toBeGreaterThan(name === 'conformance' ? 40 : 12);
  });

  it.each(PATHS[name] ?? [])(
    'keeps the direct pass set on the %s path',
    async (path) => {
      const url = await urlForPath(gw, server, path);
      if (url === null) throw new Error(`${name} cannot take the ${path} path`);
      const outcome = await runServerScenarios(url);
      const difference = describeDifference(
        `${name} via ${path}`,
        expectedThroughGateway(direct, 'server'),
        outcome,
      );
      expect(difference.join('\n')).toBe('');
    },
    240_000,
  );
});
