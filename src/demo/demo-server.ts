import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Registry } from '../registry/registry.js';
import { writeFileAtomic } from '../storage/atomic-write.js';

/** The name the demo server is registered under; the UI and the banner show it like any other server. */
export const DEMO_NAME = 'demo';

/**
 * The demo is a real MCP server the gateway runs over stdio: server-everything, the reference server of
 * the MCP project (installed with the checkout's dev dependencies), else the small SDK server shipped in
 * this package, which has fewer tools but is always there.
 */
export function demoServerEntry(): Record<string, unknown> {
  try {
    const entry = createRequire(import.meta.url).resolve(
      '@modelcontextprotocol/server-everything/dist/index.js',
    );
    return { type: 'stdio', command: process.execPath, args: [entry, 'stdio'] };
  } catch {
    const fallback = fileURLToPath(new URL('./fallback-server.js', import.meta.url));
    return { type: 'stdio', command: process.execPath, args: [fallback] };
  }
}

/** What the storage dir remembers: that --demo added the server once, so a removal is the user's choice. */
interface DemoMemory {
  addedAt: string;
}

export type DemoSetup =
  | { outcome: 'added' | 'present' }
  /** The user removed the demo server after --demo added it: it stays removed. */
  | { outcome: 'removed-by-user'; memoryPath: string }
  /** A server of the user's own is called "demo": it is left alone and gets no demo traffic. */
  | { outcome: 'name-taken' };

function readMemory(path: string): DemoMemory | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DemoMemory;
  } catch {
    // Unreadable: --demo did add it once, or the file would not be there.
    return { addedAt: 'unknown' };
  }
}

/**
 * Registers the demo server unless the user removed it before: `demo.json` in the storage dir records that
 * --demo added it, so finding it gone later means someone removed it (in the UI, the API or mcp.json), and
 * --demo respects that. Deleting demo.json brings it back on the next --demo.
 */
export function setUpDemoServer(registry: Registry, storageDir: string): DemoSetup {
  const memoryPath = join(storageDir, 'demo.json');
  const memory = readMemory(memoryPath);
  const existing = registry.get(DEMO_NAME);
  if (memory && existing) return { outcome: 'present' };
  if (memory) return { outcome: 'removed-by-user', memoryPath };
  if (existing) return { outcome: 'name-taken' };
  registry.add(DEMO_NAME, demoServerEntry());
  writeFileAtomic(
    memoryPath,
    `${JSON.stringify({ addedAt: new Date().toISOString() } satisfies DemoMemory)}\n`,
  );
  return { outcome: 'added' };
}
