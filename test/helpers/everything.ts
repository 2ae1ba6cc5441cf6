import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { startTestGateway, type TestGateway } from './gateway.js';
import { freePort } from './ports.js';

const require = createRequire(import.meta.url);

export interface RunningEverything {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `@modelcontextprotocol/server-everything` in streamableHttp mode (or the legacy HTTP+SSE transport with
 * `mode: 'sse'`), as a real child process; on `port` when given (to start it again where clients point).
 */
export async function startEverything(
  port?: number,
  mode: 'streamableHttp' | 'sse' = 'streamableHttp',
): Promise<RunningEverything> {
  const entry = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
  port ??= await freePort();
  const child = spawn(process.execPath, [entry, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server-everything did not start: ${output}`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/listening on port|running on port/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything exited with ${code}: ${output}`));
    });
  });
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** server-everything over HTTP, registered as "everything" in a fresh gateway; `stop` ends both. */
export async function startEverythingBehindGateway(): Promise<{
  everything: RunningEverything;
  gw: TestGateway;
  stop(): Promise<void>;
}> {
  const everything = await startEverything();
  const gw = await startTestGateway({ servers: { everything: { type: 'http', url: everything.url } } });
  return {
    everything,
    gw,
    async stop() {
      await gw.stop();
      await everything.stop();
    },
  };
}
