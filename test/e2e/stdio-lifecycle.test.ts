import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { isAlive, serverStatus, stdioServers, waitFor, waitForState } from '../helpers/stdio.js';

function text(result: unknown): string {
  return (result as { content: { text: string }[] }).content[0]?.text ?? '';
}

describe('a shared stdio server through crashes, restarts and bad output', () => {
  let gw: TestGateway;
  // Clients that declare nothing use the process the server starts with, whose pid the status shows.

  beforeAll(async () => {
    gw = await startTestGateway({
      servers: {
        fixture: stdioServers.fixture(),
        missing: { type: 'stdio', command: 'mcp-gateway-test-no-such-command' },
      },
    });
    await waitForState(gw, 'fixture', 'running');
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('fails a call in flight at once when the server crashes, naming it and quoting its stderr, then restarts it', async () => {
    const session = await connectClient(gw.proxyUrl('fixture'), 'bare', {});
    try {
      const before = await serverStatus(gw, 'fixture');
      const call = session.client.callTool({ name: 'crash', arguments: { code: 3 } });
      await expect(call).rejects.toThrow(/stdio server "fixture" exited \(exit code 3\) before answering/);
      await expect(call).rejects.toThrow(/database connection lost/);
      const after = await waitForState(gw, 'fixture', 'running', before.pid);
      expect(after.restarts).toBe((before.restarts ?? 0) + 1);
      // The session outlives the process: the client carries on without a new initialize.
      expect(text(await session.client.callTool({ name: 'echo', arguments: { message: 'again' } }))).toBe(
        'Echo: again',
      );
      const notes = await gw.records((r) => r.server === 'fixture' && r.note === 'gateway');
      expect(notes.some((r) => /crashed \(exit code 3\); restarting in/.test(r.message))).toBe(true);
      // What the server logged during the call shows on the session's timeline.
      const logs = await gw.records(
        (r) => r.sessionId === session.transport.sessionId && r.kind === 'stderr',
      );
      // Written at once, so one record.
      expect(logs.map((r) => r.message)).toEqual([
        'fixture: about to crash\nfixture: database connection lost',
      ]);
      expect(gw.messages.some((m) => /stdio server fixture crashed: exit code 3/.test(m))).toBe(true);
    } finally {
      await session.close();
    }
  });

  it('restarts the server on request, with a new process, and sessions carry on', async () => {
    const session = await connectClient(gw.proxyUrl('fixture'), 'bare', {});
    try {
      const before = await serverStatus(gw, 'fixture');
      const response = await gw.api('/api/servers/fixture/restart', { method: 'POST' });
      expect(response.status).toBe(200);
      const after = await waitForState(gw, 'fixture', 'running', before.pid);
      expect(isAlive(before.pid as number)).toBe(false);
      expect(after.restarts).toBe((before.restarts ?? 0) + 1);
      expect(text(await session.client.callTool({ name: 'echo', arguments: { message: 'hi' } }))).toBe(
        'Echo: hi',
      );
    } finally {
      await session.close();
    }
  });

  it('reports a command that does not exist: a clear error to the client, status crashed', async () => {
    const status = await waitForState(gw, 'missing', 'crashed');
    expect(status.lastError).toMatch(/command "mcp-gateway-test-no-such-command" was not found/);
    await expect(connectClient(gw.proxyUrl('missing'))).rejects.toThrow(/was not found: install it, or fix/);
    expect(
      gw.messages.some((m) => /stdio server missing failed to start: command .* was not found/.test(m)),
    ).toBe(true);
  });

  it('records garbage on stdout as what it was, and the session carries on', async () => {
    const session = await connectClient(gw.proxyUrl('fixture'), 'bare', {});
    try {
      expect(text(await session.client.callTool({ name: 'garbage', arguments: {} }))).toBe('garbage written');
      const garbage = await gw.records(
        (r) => r.server === 'fixture' && r.message.startsWith('this is not JSON'),
      );
      expect(garbage.at(-1)?.kind).toBe('other');
      expect(garbage.at(-1)?.note).toMatch(/^not forwarded: not JSON/);
    } finally {
      await session.close();
    }
  });

  it('passes a 10 MB answer whole to the client and stores it', async () => {
    const session = await connectClient(gw.proxyUrl('fixture'), 'bare', {});
    try {
      const result = await session.client.callTool({ name: 'big', arguments: { bytes: 10_000_000 } });
      expect(text(result).length).toBe(10_000_000);
      const stored = await gw.records(
        (r) => r.sessionId === session.transport.sessionId && r.method === 'tools/call',
      );
      const answer = stored.find((r) => r.kind === 'response');
      expect(answer?.size).toBeGreaterThan(10_000_000);
      expect(answer?.truncated).toBe(false);
    } finally {
      await session.close();
    }
  });

  it('cuts a runaway stdout line at the limit with an error record, and keeps serving', async () => {
    const session = await connectClient(gw.proxyUrl('fixture'), 'bare', {});
    try {
      const result = await session.client.callTool({
        name: 'runaway',
        arguments: { bytes: 40 * 1024 * 1024 },
      });
      expect(text(result)).toBe('survived the runaway line');
      const cut = await gw.records(
        (r) => r.server === 'fixture' && (r.note ?? '').includes('longer than 32 MiB'),
      );
      expect(cut).toHaveLength(1);
      expect(cut[0]?.truncated).toBe(true);
      expect(cut[0]?.size).toBeLessThanOrEqual(4096);
    } finally {
      await session.close();
    }
  });

  it('fails a call whose answer is over the line limit, instead of leaving it waiting', async () => {
    const session = await connectClient(gw.proxyUrl('fixture'), 'bare', {});
    try {
      const call = session.client.callTool({ name: 'big', arguments: { bytes: 33 * 1024 * 1024 } });
      await expect(call).rejects.toThrow(
        /answered tools\/call with a message of 33\.0 MiB, over the gateway's limit of 32\.0 MiB/,
      );
      expect(text(await session.client.callTool({ name: 'echo', arguments: { message: 'ok' } }))).toBe(
        'Echo: ok',
      );
    } finally {
      await session.close();
    }
  });
});

describe('an isolated stdio server: a process per session', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({
      servers: {
        fixture: stdioServers.fixture({ sessionMode: 'isolated', maxProcesses: 2 }),
        // Long enough that a loaded machine finishes the handshake before the session counts as idle.
        idle: stdioServers.fixture({ sessionMode: 'isolated', idleTimeout: 2000 }),
      },
    });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('refuses a session past maxProcesses only when every session is busy, saying what to do', async () => {
    const a = await connectClient(gw.proxyUrl('fixture'));
    const b = await connectClient(gw.proxyUrl('fixture'));
    try {
      const stop = new AbortController();
      const calls = [a, b].map((s) =>
        s.client.callTool({ name: 'slow', arguments: { ms: 20_000 } }, undefined, { signal: stop.signal }),
      );
      const working = async () => {
        const { lines } = (await (await gw.api('/api/servers/fixture/stderr')).json()) as {
          lines: { line: string }[];
        };
        return lines.filter((l) => l.line.includes('working for 20000 ms')).length >= 2;
      };
      await waitFor('both calls to be in flight', working);
      const refused = connectClient(gw.proxyUrl('fixture'));
      await expect(refused).rejects.toThrow(/stdio server .*fixture.* already runs 2 processes, its limit/);
      await expect(refused).rejects.toThrow(
        /every one of them is answering a request.*end sessions you no longer use \(DELETE\).* or raise maxProcesses/,
      );
      stop.abort('done');
      await Promise.allSettled(calls);
    } finally {
      await a.close();
      await b.close();
    }
    // Once sessions end, their processes do too, and new sessions are welcome again.
    const c = await connectClient(gw.proxyUrl('fixture'));
    await c.close();
  });

  it('makes room past maxProcesses by ending the least recently active idle session, which is told why', async () => {
    const oldest = await connectClient(gw.proxyUrl('fixture'), 'oldest');
    const recent = await connectClient(gw.proxyUrl('fixture'), 'recent');
    const { pid } = JSON.parse(text(await oldest.client.callTool({ name: 'whoami', arguments: {} }))) as {
      pid: number;
    };
    await recent.client.callTool({ name: 'echo', arguments: { message: 'still here' } });
    const newcomer = await connectClient(gw.proxyUrl('fixture'), 'newcomer');
    try {
      expect(text(await newcomer.client.callTool({ name: 'echo', arguments: { message: 'in' } }))).toBe(
        'Echo: in',
      );
      expect(text(await recent.client.callTool({ name: 'echo', arguments: { message: 'on' } }))).toBe(
        'Echo: on',
      );
      // MCP Streamable HTTP, "Session Management": an ended session answers 404; the client initializes again.
      const evicted = oldest.client.callTool({ name: 'echo', arguments: { message: 'x' } });
      await expect(evicted).rejects.toMatchObject({ code: 404 });
      await expect(evicted).rejects.toThrow(
        /Session not found: .*least recently active idle session.*maxProcesses \(2\).*send initialize again/,
      );
      await waitFor("the evicted session's process to exit", () => !isAlive(pid));
      expect((await serverStatus(gw, 'fixture')).sessions).toBe(2);
    } finally {
      await oldest.client.close();
      await recent.close();
      await newcomer.close();
    }
  });

  it('ends the session when its process crashes: the client must start a new one, which works', async () => {
    const session = await connectClient(gw.proxyUrl('fixture'));
    const sessionId = session.transport.sessionId;
    await expect(session.client.callTool({ name: 'crash', arguments: { code: 5 } })).rejects.toThrow(
      /exited \(exit code 5\) before answering; its session has ended, start a new one/,
    );
    await expect(session.client.callTool({ name: 'echo', arguments: { message: 'x' } })).rejects.toThrow(
      /Session not found/,
    );
    await session.client.close();
    const fresh = await connectClient(gw.proxyUrl('fixture'));
    try {
      expect(fresh.transport.sessionId).not.toBe(sessionId);
      expect(text(await fresh.client.callTool({ name: 'echo', arguments: { message: 'new' } }))).toBe(
        'Echo: new',
      );
    } finally {
      await fresh.close();
    }
  });

  it('ends a session and its process after idleTimeout without a message from the client', async () => {
    const session = await connectClient(gw.proxyUrl('idle'));
    const { pid } = JSON.parse(text(await session.client.callTool({ name: 'whoami', arguments: {} }))) as {
      pid: number;
    };
    await waitFor('the idle session to end', async () => (await serverStatus(gw, 'idle')).sessions === 0);
    await waitFor('the idle process to exit', () => !isAlive(pid));
    await expect(session.client.callTool({ name: 'echo', arguments: { message: 'late' } })).rejects.toThrow(
      /Session not found/,
    );
    await session.client.close();
  });
});

describe('stopping the gateway', () => {
  it('stops every stdio process it started: none is left behind', async () => {
    const gw = await startTestGateway({
      servers: {
        shared: stdioServers.fixture(),
        isolated: stdioServers.fixture({ sessionMode: 'isolated' }),
      },
    });
    const pids: number[] = [];
    try {
      pids.push((await waitForState(gw, 'shared', 'running')).pid as number);
      const session = await connectClient(gw.proxyUrl('isolated'));
      const who = JSON.parse(text(await session.client.callTool({ name: 'whoami', arguments: {} }))) as {
        pid: number;
      };
      pids.push(who.pid);
      expect(pids.every(isAlive)).toBe(true);
    } finally {
      await gw.stop();
    }
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it.runIf(process.platform === 'linux')(
    'takes down what a server started itself (npx runs the real server as its child), not only the server',
    async () => {
      const fixture = stdioServers.fixture();
      // The shell leaves a background child behind, then becomes the server: like a launcher script.
      const script = 'sleep 60 & exec "$0" "$@"';
      const gw = await startTestGateway({
        servers: {
          launcher: {
            type: 'stdio',
            command: '/bin/sh',
            args: ['-c', script, fixture.command, ...fixture.args],
          },
        },
      });
      let group = 0;
      try {
        group = (await waitForState(gw, 'launcher', 'running')).pid as number;
        expect(groupAlive(group)).toBe(true);
      } finally {
        await gw.stop();
      }
      expect(groupAlive(group)).toBe(false);
    },
  );
});

/**
 * Whether a process of the process group `id` is still running (Linux /proc; a zombie does not count: it
 * is dead, waiting for whoever adopted it to collect its exit status).
 */
function groupAlive(id: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces, so fields are read after its ")".
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === id && state !== 'Z') return true;
  }
  return false;
}
