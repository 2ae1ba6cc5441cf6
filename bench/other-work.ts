import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux reports /proc/stat in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** CPU seconds the whole machine has spent busy since boot, all cores; null where /proc/stat is missing. */
function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal …: idle and iowait are the time no one used.
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
      TICKS_PER_SECOND
    );
  } catch {
    return null;
  }
}

export interface OtherWork {
  /** CPU seconds used meanwhile by everything but this process (other programs, the kernel's own work). */
  cpuSeconds: number;
  /** That as a share of what the machine's cores could do over the same wall-clock time. */
  share: number;
}

/**
 * Starts watching how much of the machine other work takes while a suite runs: the machine's busy CPU
 * time less this process's own. A load average cannot tell the two apart (it counts the suite itself,
 * and the build just before it); this can. The returned function reads the figure so far; null off Linux.
 */
export function watchOtherWork(): () => OtherWork | null {
  const started = performance.now();
  const busyBefore = machineBusySeconds();
  const selfBefore = process.cpuUsage();
  return () => {
    const busyNow = machineBusySeconds();
    if (busyBefore === null || busyNow === null) return null;
    const self = process.cpuUsage(selfBefore);
    const cpuSeconds = Math.max(0, busyNow - busyBefore - (self.user + self.system) / 1e6);
    const capacity = ((performance.now() - started) / 1000) * cpus().length;
    return { cpuSeconds, share: capacity > 0 ? cpuSeconds / capacity : 0 };
  };
}

/** One sentence on the other work of a run, for RESULTS.md. */
export function describeOtherWork(other: OtherWork | null): string {
  if (!other) return 'Other work on the machine was not measured (no /proc/stat).';
  const percent = Math.round(other.share * 100);
  const verdict =
    other.share >= 0.1
      ? ' **Other work shared the machine: read the ratios, not the absolute figures.**'
      : ' The machine was otherwise quiet.';
  return `Other work on the machine meanwhile (its busy CPU time less this run's own): ${other.cpuSeconds.toFixed(1)} CPU s, ${percent}% of its ${cpus().length} cores.${verdict}`;
}
