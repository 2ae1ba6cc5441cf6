import { expect } from 'vitest';
import type { CapturedRecord } from '../../src/core/record.js';

/** JSON with object keys sorted: the SDK re-orders keys when it parses, the wire does not. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/**
 * Asserts that the store holds every message a client sent and received, each exactly once, in the right
 * direction: the capture is compared against what the SDK's own transport saw.
 */
export function expectCapturedExactlyOnce(
  records: CapturedRecord[],
  seen: { sent: unknown[]; received: unknown[] },
  sessionId: string,
): void {
  const messages = records.filter(
    (r) => r.sessionId === sessionId && r.kind !== 'other' && r.kind !== 'stderr',
  );
  const inDirection = (direction: CapturedRecord['direction']) =>
    messages
      .filter((r) => r.direction === direction)
      .map((r) => canonical(JSON.parse(r.message)))
      .sort();
  expect(inDirection('client_to_server')).toEqual(seen.sent.map(canonical).sort());
  expect(inDirection('server_to_client')).toEqual(seen.received.map(canonical).sort());
}
