import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on `entry` (a module beside the caller, named without extension): compiled
 * JavaScript normally; when the gateway runs from its TypeScript sources (the test suite), the worker first
 * registers tsx so it can load them too (loader hooks are per thread).
 */
export function spawnWorker(callerUrl: string, entry: string, options: WorkerOptions): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${entry}.js`, callerUrl), options);
  const require = createRequire(callerUrl);
  const manifest = require('tsx/package.json') as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = new URL(
    manifest.exports['./esm/api']?.import.default ?? '',
    pathToFileURL(require.resolve('tsx/package.json')),
  ).href;
  const source = new URL(`./${entry}.ts`, callerUrl).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
