import type { ServerStatus } from '../core/server-status.js';

/**
 * The run state of servers whose references cannot be filled in ("env var GITHUB_TOKEN is not set"), as a
 * status provider: the API, the UI and health show `misconfigured` with the reason. Each new reason is
 * printed once, when it is first seen.
 */
export function misconfigurationStatus(
  problem: (name: string) => string | null,
  warn: (message: string) => void,
  now: () => number = Date.now,
): (name: string) => ServerStatus | undefined {
  const seen = new Map<string, { problem: string; since: number }>();
  return (name) => {
    const current = problem(name);
    if (current === null) {
      seen.delete(name);
      return undefined;
    }
    let entry = seen.get(name);
    if (entry?.problem !== current) {
      entry = { problem: current, since: now() };
      seen.set(name, entry);
      warn(`server ${name} is misconfigured: ${current}`);
    }
    return { state: 'misconfigured', since: entry.since, lastError: current };
  };
}
