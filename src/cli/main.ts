import { exposureWarning } from '../app/exposure.js';
import { type RunningGateway, StartupError, startGateway } from '../app/gateway.js';
import { TokenStoreError } from '../auth/token-store.js';
import { ConfigError, resolveConfig, resolveStorageDir } from '../config/options.js';
import { VERSION } from '../core/version.js';
import { prepareDemo } from '../demo/start-demo.js';
import { ClientConfigError } from '../secrets/import/client-configs.js';
import { SecretKeyError } from '../secrets/secret-key.js';
import { SecretStoreError } from '../secrets/secret-store.js';
import { StorageDirError } from '../storage/storage-dir.js';
import { HELP, parseCli } from './args.js';
import { auditCliAct, runAudit } from './audit-command.js';
import { shutdownSummary, startupBanner } from './banner.js';
import { runConnect } from './connect.js';
import { runDb } from './db-command.js';
import { runImport } from './import-command.js';
import { runMock } from './mock-command.js';
import { runSecret } from './secret-command.js';
import { runToken } from './token-command.js';
import { runUi } from './ui-link.js';
import { runWrap } from './wrap.js';

const EXIT_USAGE = 2;

function fail(message: string, code: number): never {
  process.stderr.write(`mcp-gateway: ${message}\n`);
  process.exit(code);
}

/** Ctrl-C or SIGTERM: finish in-flight requests, flush capture, close the database, print a summary. */
function stopOnSignals(gateway: RunningGateway): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`\n${signal} again: exiting now; capture still queued is lost\n`);
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`\nShutting down (${signal}); press Ctrl-C again to force.\n`);
    gateway.stop().then(
      (summary) => {
        process.stdout.write(`${shutdownSummary(summary)}\n`);
        process.exit(0);
      },
      (error: unknown) => fail(`shutdown failed: ${(error as Error).message}`, 1),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export async function main(argv: readonly string[]): Promise<void> {
  let command: ReturnType<typeof parseCli>;
  try {
    command = parseCli(argv);
  } catch (error) {
    fail((error as Error).message, EXIT_USAGE);
  }
  if (command.command === 'help') {
    process.stdout.write(`${command.text ?? HELP}\n`);
    return;
  }
  if (command.command === 'wrap' || command.command === 'connect') {
    // stdout belongs to the MCP client here: errors go to stderr, the exit code tells the rest.
    try {
      const code =
        command.command === 'wrap' ? await runWrap(command.options) : await runConnect(command.options);
      process.exit(code);
    } catch (error) {
      if (error instanceof ConfigError) fail(error.message, EXIT_USAGE);
      throw error;
    }
  }
  if (command.command === 'ui') {
    const write = (stream: NodeJS.WriteStream) => (line: string) => stream.write(`${line}\n`);
    process.exitCode = await runUi(command.options, {
      out: write(process.stdout),
      err: write(process.stderr),
    });
    return;
  }
  if (command.command === 'db') {
    const write = (stream: NodeJS.WriteStream) => (line: string) => stream.write(`${line}\n`);
    process.exitCode = await runDb(command.options, {
      out: write(process.stdout),
      err: write(process.stderr),
    });
    return;
  }
  if (command.command === 'audit') {
    const write = (stream: NodeJS.WriteStream) => (line: string) => stream.write(`${line}\n`);
    try {
      process.exitCode = await runAudit(command.options, {
        out: write(process.stdout),
        err: write(process.stderr),
      });
    } catch (error) {
      if (error instanceof ConfigError) fail(error.message, EXIT_USAGE);
      throw error;
    }
    return;
  }
  if (command.command === 'mock') {
    // With --stdio, stdout belongs to the MCP client: everything else goes to stderr.
    const err = (line: string) => process.stderr.write(`${line}\n`);
    const out = command.options.stdio ? err : (line: string) => process.stdout.write(`${line}\n`);
    const stopped = () =>
      new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
    process.exit(
      await runMock(command.options, { out, err, stdin: process.stdin, stdout: process.stdout, stopped }),
    );
  }
  if (command.command === 'secret' || command.command === 'import') {
    const io = {
      out: (line: string) => process.stdout.write(`${line}\n`),
      err: (line: string) => process.stderr.write(`${line}\n`),
      stdin: process.stdin,
    };
    try {
      process.exitCode =
        command.command === 'secret'
          ? await runSecret(command.options, io)
          : await runImport(command.options, io);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof ClientConfigError) fail(error.message, EXIT_USAGE);
      if (error instanceof SecretStoreError || error instanceof SecretKeyError)
        fail(error.message, EXIT_USAGE);
      throw error;
    }
    return;
  }
  if (command.command === 'token') {
    try {
      const err = (line: string) => process.stderr.write(`${line}\n`);
      const storageDir = resolveStorageDir(command.options.storageDir);
      process.exitCode = runToken(command.options, {
        out: (line) => process.stdout.write(`${line}\n`),
        err,
        // Token changes from this machine go into the audit log as the owner's, like the API's.
        audit: {
          record: ({ action, target, outcome, detail }) =>
            auditCliAct(storageDir, undefined, { action, target, outcome, detail }, err),
        },
      });
    } catch (error) {
      if (error instanceof ConfigError) fail(error.message, EXIT_USAGE);
      if (error instanceof TokenStoreError) fail(error.message, error.kind === 'invalid' ? EXIT_USAGE : 1);
      if (error instanceof StorageDirError) fail(error.message, 1);
      throw error;
    }
    return;
  }
  if (command.command === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  let config: ReturnType<typeof resolveConfig>;
  try {
    config = resolveConfig(command.options);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, EXIT_USAGE);
    throw error;
  }
  const info = (message: string) => process.stdout.write(`${message}\n`);
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  if (command.options.oidcClientSecret !== undefined) {
    warn(
      '--oidc-client-secret shows in the process list to every user of this machine: use --oidc-client-secret-file FILE (mode 600) or MCP_GATEWAY_OIDC_CLIENT_SECRET instead.',
    );
  }
  let gateway: RunningGateway;
  try {
    gateway = await startGateway(config, { info, warn });
  } catch (error) {
    if (error instanceof StartupError) fail(error.message, error.exitCode);
    throw error;
  }
  // Once bound (a --host that is no address here fails with one line instead): what other machines reach.
  const exposure = exposureWarning(config);
  if (exposure) warn(exposure);
  // Signal handlers go in before the banner: whoever waits for the banner may signal right away.
  stopOnSignals(gateway);
  // The demo server is registered before the banner (which lists it); its traffic follows the banner.
  const demoTraffic = command.options.demo ? prepareDemo(gateway, { info, warn }) : null;
  info(startupBanner(gateway));
  await demoTraffic?.();
}
