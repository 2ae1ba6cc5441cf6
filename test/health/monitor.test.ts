import { describe, expect, it } from 'vitest';
import type { ServerStatus } from '../../src/core/server-status.js';
import { HealthMonitor } from '../../src/health/monitor.js';
import type { ProbeResult } from '../../src/health/probe.js';
import type { HealthChange } from '../../src/health/types.js';

function monitor(options: { probe?: () => Promise<ProbeResult>; status?: () => ServerStatus | undefined }) {
  const changes: HealthChange[] = [];
  const health = new HealthMonitor({
    servers: () => ['web', 'local'],
    target: (name) => (name === 'web' ? { url: new URL('http://example.test/mcp'), headers: {} } : undefined),
    processStatus: (name) => (name === 'local' ? options.status?.() : undefined),
    intervalMs: 0,
    probe: options.probe ?? (async () => ({ state: 'up', latencyMs: 1, httpStatus: 200, detail: 'ok' })),
    now: () => 1000,
  });
  health.onChange((change) => changes.push(change));
  return { health, changes };
}

describe('HealthMonitor', () => {
  it('reports a change only when the state changes', async () => {
    let state: ProbeResult['state'] = 'up';
    const { health, changes } = monitor({
      probe: async () => ({ state, latencyMs: 1, httpStatus: 200, detail: null }),
    });
    expect(health.report('web').state).toBe('unknown');
    await health.check('web');
    await health.check('web');
    state = 'down';
    await health.check('web');
    expect(changes.map((c) => [c.previous, c.report.state, c.source])).toEqual([
      ['unknown', 'up', 'probe'],
      ['up', 'down', 'probe'],
    ]);
  });

  it('takes what proxied traffic saw: unreachable is down, a 2xx is up, other answers change nothing', () => {
    const { health, changes } = monitor({});
    health.observe('web', { reached: true, status: 200 });
    health.observe('web', { reached: true, status: 202 });
    health.observe('web', { reached: false, detail: 'Cannot reach server "web": connection refused.' });
    // A 401 or a 500 is an answer about one request, not proof the server is down or up.
    health.observe('web', { reached: true, status: 401 });
    health.observe('web', { reached: true, status: 500 });
    // stdio servers are judged by their process, never by traffic.
    health.observe('local', { reached: false, detail: 'ignored' });
    expect(changes.map((c) => [c.server, c.previous, c.report.state, c.source])).toEqual([
      ['web', 'unknown', 'up', 'traffic'],
      ['web', 'up', 'down', 'traffic'],
    ]);
    expect(health.report('web').detail).toBe(
      'a proxied request failed: Cannot reach server "web": connection refused.',
    );
  });

  it('shares one probe between concurrent checks of a server', async () => {
    let probes = 0;
    const { health } = monitor({
      probe: async () => {
        probes++;
        await new Promise((r) => setTimeout(r, 10));
        return { state: 'up', latencyMs: 1, httpStatus: 200, detail: null };
      },
    });
    await Promise.all([health.check('web'), health.check('web'), health.checkAll()]);
    expect(probes).toBe(1);
  });

  it('judges a stdio server by its process state', async () => {
    let status: ServerStatus = { state: 'starting', since: 0 };
    const { health, changes } = monitor({ status: () => status });
    expect(health.report('local').state).toBe('starting');
    status = { state: 'crashed', since: 1, exitCode: 1, lastError: 'exited with code 1' };
    await health.check('local');
    expect(health.report('local')).toMatchObject({ state: 'down', detail: 'exited with code 1' });
    expect(changes.map((c) => [c.report.state, c.source])).toEqual([
      ['starting', 'process'],
      ['down', 'process'],
    ]);
  });

  it('forgets a server that is gone', async () => {
    const { health } = monitor({});
    await health.check('web');
    health.forget('web');
    expect(health.report('web').state).toBe('unknown');
  });
});
