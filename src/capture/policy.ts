import { DEFAULT_REDACTION, type RedactionPolicy, type SecretValue } from '../redaction/policy.js';

/**
 * Everything that decides what capture keeps, as plain data: it is sent to the capture worker (structured
 * clone) at start and again whenever it changes (a hand edit of mcp.json), and handed to every listener.
 */
export interface CapturePolicy {
  readonly redaction: RedactionPolicy;
}

export const DEFAULT_CAPTURE_POLICY: CapturePolicy = { redaction: DEFAULT_REDACTION };

/**
 * The policy in effect: mcp.json's `redaction` block, unless the command line asked for raw captures, and
 * the values the gateway's references were filled in with so far.
 */
export function capturePolicy(
  redaction: RedactionPolicy,
  redactFlag: boolean,
  secretValues: readonly SecretValue[] = [],
): CapturePolicy {
  return { redaction: { ...redaction, enabled: redactFlag && redaction.enabled, secretValues } };
}

/** One line on what capture redacts, for the startup banner and the terminal. */
export function redactionLine(policy: CapturePolicy): string {
  const { redaction } = policy;
  if (!redaction.enabled)
    return 'off: payloads are stored as they arrived (credential headers stay redacted)';
  const extras = [
    redaction.keys.length > 0 ? `${redaction.keys.length} extra key name(s)` : '',
    redaction.patterns.length > 0 ? `${redaction.patterns.length} extra pattern(s)` : '',
    Object.keys(redaction.allow).length > 0
      ? `allow-lists for ${Object.keys(redaction.allow).join(', ')}`
      : '',
  ].filter(Boolean);
  return `on: secrets in payloads and headers are redacted before storage${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
}
