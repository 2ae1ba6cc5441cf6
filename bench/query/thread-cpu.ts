import { readdirSync, readFileSync } from 'node:fs';

/** CPU time of each of this process's threads so far, in seconds, by thread id (Linux; empty elsewhere). */
export function threadCpu(): Map<string, number> {
  const times = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return times;
  }
  for (const tid of tasks) {
    try {
      // schedstat: time spent on a CPU (ns), time spent waiting for one (ns), timeslices (proc(5)).
      const onCpu = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      times.set(tid, onCpu / 1e9);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return times;
}

/**
 * CPU seconds each thread used since `before`, busiest first; `main` is this thread's (the one the proxy
 * runs on), `others` every other thread's that used any (the capture worker, its writer, GC helpers).
 */
export function threadCpuSince(before: Map<string, number>): { main: number; others: number[] } {
  const after = threadCpu();
  const main = String(process.pid);
  const others: number[] = [];
  for (const [tid, seconds] of after) {
    if (tid === main) continue;
    const used = seconds - (before.get(tid) ?? 0);
    if (used > 0.001) others.push(used);
  }
  others.sort((a, b) => b - a);
  return { main: (after.get(main) ?? 0) - (before.get(main) ?? 0), others };
}
