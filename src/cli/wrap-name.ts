import { basename, dirname, extname } from 'node:path';
import { suggestServerName } from '../core/server-name.js';

/** Programs that run another program named in their arguments: the name comes from that one. */
const LAUNCHERS = new Set([
  'npx',
  'npm',
  'pnpm',
  'pnpx',
  'yarn',
  'bunx',
  'bun',
  'deno',
  'uvx',
  'uv',
  'pipx',
  'node',
  'nodejs',
  'python',
  'python3',
  'py',
  'docker',
  'podman',
  'tsx',
  'ts-node',
]);
/** Launcher sub-commands and options that take a value, skipped on the way to the program's name. */
const SUBCOMMANDS = new Set(['exec', 'dlx', 'x', 'run', 'tool']);
const OPTIONS_WITH_VALUE = new Set([
  '-e',
  '--env',
  '--env-file',
  '-v',
  '--volume',
  '--mount',
  '--name',
  '-p',
  '--publish',
  '--network',
  '-w',
  '--workdir',
  '--entrypoint',
  '-u',
  '--user',
  '--platform',
  '--from',
  '--with',
  '--package',
  '--python',
  '--directory',
]);
/** File names that say nothing about the server: the folder above says more. */
const GENERIC_FILES = new Set(['index', 'main', 'server', 'cli', 'app', 'mod', '__main__']);
const BUILD_DIRS = new Set(['dist', 'build', 'lib', 'src', 'bin', 'out']);

function fromPackageOrPath(target: string): string {
  // "@scope/name@1.2.3" → "name"; "pkg==1.0" → "pkg"; "ghcr.io/org/image:tag" → "image"
  let name = target
    .replace(/^@[^/]+\//, '')
    .replace(/(.)@[^/]*$/, '$1')
    .replace(/[=<>~^].*$/, '');
  if (name.includes('/') || name.includes('\\')) {
    const file = basename(name, extname(name));
    if (!GENERIC_FILES.has(file)) return file.replace(/:[^:]*$/, '');
    let dir = dirname(name);
    while (BUILD_DIRS.has(basename(dir)) && dirname(dir) !== dir) dir = dirname(dir);
    return basename(dir);
  }
  name = name.replace(/:[^:]*$/, '');
  return basename(name, extname(name));
}

/**
 * A server name for `wrap` from the command it runs: `npx -y @modelcontextprotocol/server-memory` →
 * "server-memory", `uvx mcp-server-fetch` → "mcp-server-fetch", `node build/index.js` → the project folder,
 * `python -m mcp_server_time` → "mcp_server_time". Always a valid server name.
 */
export function nameFromCommand(command: string, args: readonly string[]): string {
  let target = command;
  if (LAUNCHERS.has(basename(command, extname(command)).toLowerCase())) {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (arg === '-m' || arg === '--module') {
        target = args[i + 1] ?? target;
        break;
      }
      if (OPTIONS_WITH_VALUE.has(arg)) {
        i++;
        continue;
      }
      if (arg.startsWith('-') || SUBCOMMANDS.has(arg)) continue;
      target = arg;
      break;
    }
  }
  return suggestServerName(fromPackageOrPath(target)) || 'stdio-server';
}
