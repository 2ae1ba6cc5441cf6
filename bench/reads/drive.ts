import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReadsPlan, ReadsReport } from './driver.js';

const DRIVER = fileURLToPath(new URL('./driver.ts', import.meta.url));

/**
 * Runs the heavy reads (driver.ts) in a child process: `started` resolves when its first read goes out
 * (starting Node and tsx takes a second), `done` with its report.
 */
export function driveReads(plan: ReadsPlan): { started: Promise<void>; done: Promise<ReadsReport> } {
  let onStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    onStarted = resolve;
  });
  const done = new Promise<ReadsReport>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', DRIVER, JSON.stringify(plan)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('started\n')) onStarted();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the reads driver exited with ${code}:\n${errors}`));
      try {
        resolve(JSON.parse(output.replace(/^started\n/, '')) as ReadsReport);
      } catch {
        reject(new Error(`the reads driver printed no report:\n${output}\n${errors}`));
      }
    });
  });
  // A driver that fails before its first read must not leave the caller waiting for it to start.
  done.catch(() => {}).finally(onStarted);
  return { started, done };
}
