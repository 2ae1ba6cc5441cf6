/**
 * Bucket boundaries, in seconds, for every MCP duration histogram: the explicit boundaries the
 * OpenTelemetry MCP conventions give for `mcp.{client,server}.operation.duration` and the session
 * durations (semantic-conventions, docs/gen-ai/mcp.md, "Metrics"). Prometheus uses the same, so the two
 * exports bucket alike.
 */
export const MCP_DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300,
];

/** The index of the bucket a value falls in (`le` semantics); `MCP_DURATION_BUCKETS.length` is +Inf. */
export function bucketIndex(seconds: number): number {
  let index = 0;
  while (index < MCP_DURATION_BUCKETS.length && seconds > (MCP_DURATION_BUCKETS[index] as number)) index++;
  return index;
}
