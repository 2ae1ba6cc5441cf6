import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_PATHS, clientPathEnv } from '../fixtures/conformance-paths.js';
import {
  describeDifference,
  expectedThroughGateway,
  runClientScenarios,
  type SuiteOutcome,
  settleDifferences,
  settleTiming,
  TIMING_CHECKS,
} from '../fixtures/conformance-suite.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * The official MCP conformance suite's client scenarios (the non-auth ones: initialize, tools_call,
 * SEP-1034 elicitation defaults, SEP-1699 SSE retry), with an SDK v1 client (conformance-client.ts)
 * reaching each scenario's test server directly and through the gateway: over the HTTP proxy, through
 * `mcp-gateway connect` (a stdio client), and through `mcp-gateway wrap` around connect. Every path keeps
 * the checks that pass directly, and gains none. The SSE retry delay is measured in milliseconds: a miss
 * there runs that scenario once more (TIMING_CHECKS), as a loaded machine can delay any path; on a path, any
 * scenario that differs from direct runs once more, and only a difference seen twice fails.
 */
const SCENARIOS = ['initialize', 'tools_call', 'elicitation-sep1034-client-defaults', 'sse-retry'];

describe('the conformance suite with the SDK v1 client', () => {
  let gw: TestGateway;
  let direct: SuiteOutcome;

  beforeAll(async () => {
    gw = await startTestGateway();
    const env = clientPathEnv(gw, 'direct');
    const first = await runClientScenarios(SCENARIOS, env);
    direct = await settleTiming(first, [...first.passed, ...TIMING_CHECKS], (again) =>
      runClientScenarios(again, env),
    );
  }, 180_000);

  afterAll(async () => {
    await gw?.stop();
  });

  it('passes every check of every scenario directly (the baseline the paths are held to)', () => {
    expect(direct.missing).toEqual([]);
    expect(direct.failed).toEqual([]);
    expect(direct.passed).toEqual(
      expect.arrayContaining(['initialize: mcp-client-initialization', 'sse-retry: client-sse-retry-timing']),
    );
  });

  it.each(CLIENT_PATHS.filter((path) => path !== 'direct'))(
    'keeps the direct pass set on the %s path',
    async (path) => {
      const env = clientPathEnv(gw, path);
      const expected = expectedThroughGateway(direct, 'client');
      const first = await runClientScenarios(SCENARIOS, env);
      const outcome = await settleDifferences(first, expected, (again) => runClientScenarios(again, env));
      const difference = describeDifference(`client via ${path}`, expected, outcome);
      expect(difference.join('\n')).toBe('');
    },
    240_000,
  );
});
