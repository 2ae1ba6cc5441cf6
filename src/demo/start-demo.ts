import type { RunningGateway } from '../app/gateway.js';
import { proxyPath } from '../proxy/route.js';
import { DEMO_NAME, setUpDemoServer } from './demo-server.js';
import { runDemoTraffic } from './demo-traffic.js';

export interface DemoIo {
  info: (message: string) => void;
  warn: (message: string) => void;
}

/**
 * `--demo`: registers the demo server (once; see setUpDemoServer) and returns what sends it a little real
 * traffic, to run once the banner is out. Returns null when there is nothing to send traffic to.
 */
export function prepareDemo(gateway: RunningGateway, io: DemoIo): (() => Promise<void>) | null {
  let setup: ReturnType<typeof setUpDemoServer>;
  try {
    setup = setUpDemoServer(gateway.registry, gateway.config.storageDir);
  } catch (error) {
    io.warn(`--demo could not register the demo server: ${(error as Error).message}`);
    return null;
  }
  if (setup.outcome === 'removed-by-user') {
    io.info(
      `demo: you removed the "${DEMO_NAME}" server, so --demo leaves it out. To have it again, delete ${setup.memoryPath} and start with --demo.`,
    );
    return null;
  }
  if (setup.outcome === 'name-taken') {
    io.warn(
      `--demo: a server of yours is already called "${DEMO_NAME}"; it is left as it is and gets no demo traffic.`,
    );
    return null;
  }
  return async () => {
    try {
      const calls = await runDemoTraffic(`${gateway.url}${proxyPath(DEMO_NAME)}`);
      io.info(
        `demo: a client made ${calls} calls to the "${DEMO_NAME}" server; open the Web UI link above to see them. Remove "${DEMO_NAME}" in the UI's Servers screen when done.`,
      );
    } catch (error) {
      io.warn(`--demo: the demo traffic failed: ${(error as Error).message}. The gateway runs on.`);
    }
  };
}
