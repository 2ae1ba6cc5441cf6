import { spawn } from 'node:child_process';
import { ConfigError, resolveStorageDir } from '../config/options.js';
import { runningGateway } from '../storage/gateway-lock.js';
import { strictParse } from './subcommand-args.js';

export const UI_HELP = `Usage: mcp-gateway ui [--open] [--storage-dir DIR]

Prints the web UI sign-in link of the gateway running on the storage dir, with its current token: for
when the terminal that started it is gone. Only the owner of the storage dir can read it.

Options:
  --open                 Also open the link in the default browser (xdg-open, open or start)
  --storage-dir <dir>    The gateway's storage dir (env MCP_GATEWAY_STORAGE, default ~/.mcp-gateway)`;

export interface UiOptions {
  open: boolean;
  storageDir?: string;
}

export function parseUi(
  argv: readonly string[],
): { command: 'ui'; options: UiOptions } | { command: 'help'; text: string } {
  const { values, positionals } = strictParse(
    argv,
    { open: { type: 'boolean' }, 'storage-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    'ui',
  );
  if (values.help) return { command: 'help', text: UI_HELP };
  if (positionals.length > 0)
    throw new ConfigError(`unexpected argument "${positionals[0]}". See mcp-gateway ui --help`);
  return {
    command: 'ui',
    options: { open: values.open === true, storageDir: values['storage-dir'] as string | undefined },
  };
}

export interface UiIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Opens a URL in the browser; resolves false when no opener could be run. */
  openUrl?: (url: string) => Promise<boolean>;
}

/** The opener each platform has: macOS `open`, Windows `start` (a cmd built-in), else xdg-open. */
function openInBrowser(url: string): Promise<boolean> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve) => {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

/** `mcp-gateway ui`: exit 0 with the link printed, 1 when no gateway runs there or its lock is unreadable. */
export async function runUi(options: UiOptions, io: UiIo): Promise<number> {
  const dir = resolveStorageDir(options.storageDir);
  let holder: ReturnType<typeof runningGateway>;
  try {
    holder = runningGateway(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.err(
      code === 'EACCES'
        ? `mcp-gateway: cannot read ${dir}/gateway.lock: only the owner of the storage dir can get the gateway's link. Run this as that user.`
        : `mcp-gateway: cannot read ${dir}/gateway.lock: ${(error as Error).message}`,
    );
    return 1;
  }
  if (holder?.task) {
    io.err(
      `mcp-gateway: no gateway is running on storage dir ${dir}: ${holder.task} (pid ${holder.pid}) is converting its store. Start the gateway when it has finished.`,
    );
    return 1;
  }
  if (!holder) {
    io.err(
      `mcp-gateway: no gateway is running on storage dir ${dir}. Start one with "mcp-gateway" (or "npm start" in the checkout); if it runs with another storage dir, pass --storage-dir.`,
    );
    return 1;
  }
  if (!holder.url || !holder.token) {
    io.err(
      `mcp-gateway: the gateway (pid ${holder.pid}) on ${dir} is still starting, or is an older version that does not record its link. Try again in a moment, or restart it.`,
    );
    return 1;
  }
  const link = `${holder.url}/ui?token=${encodeURIComponent(holder.token)}`;
  io.out(link);
  if (options.open && !(await (io.openUrl ?? openInBrowser)(link))) {
    io.err(
      'mcp-gateway: found no way to open a browser here (xdg-open, open); open the link above yourself.',
    );
  }
  return 0;
}
