import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AuditEvent, AuditTrail } from '../audit/audit-trail.js';
import type { Identity } from '../auth/identity.js';

/**
 * Who called a tool, carried on each request as the SDK's AuthInfo (the transport hands it to the tool as
 * `extra.authInfo`): with sessions, every request may come with its own token, so it is read per call.
 */
export function actorInfo(identity: Identity, source: string): AuthInfo {
  return { token: '', clientId: identity.actor, scopes: [identity.role], extra: { identity, source } };
}

export interface CallerOf {
  authInfo?: AuthInfo | undefined;
}

function callerOf(extra: CallerOf): { actor: Identity | null; source: string } {
  const info = extra.authInfo?.extra as { identity?: Identity; source?: string } | undefined;
  return { actor: info?.identity ?? null, source: info?.source ?? 'unknown' };
}

/** The text of a failed tool result: what the audit log keeps as the detail. */
const resultText = (result: CallToolResult) =>
  result.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join(' ')
    .slice(0, 500);

/** A role short of the act is a refusal (requireRole's 403 says "needs the … role"), anything else a failure. */
const failureOutcome = (result: CallToolResult): AuditEvent['outcome'] =>
  /needs the (viewer|operator|admin) role/.test(resultText(result)) ? 'refused' : 'failed';

/**
 * Runs a tool that changes something and records it in the audit log: `ok` when it did what was asked, and
 * otherwise `failed` (or what `outcome` says, such as `refused` when the person declined).
 */
export async function audited(
  audit: AuditTrail,
  extra: CallerOf,
  act: { action: string; target: string | null },
  run: () => Promise<CallToolResult>,
  describe: (result: CallToolResult) => Pick<AuditEvent, 'outcome' | 'detail'> | undefined = () => undefined,
): Promise<CallToolResult> {
  const result = await run();
  const described = describe(result);
  const event: AuditEvent = {
    ...callerOf(extra),
    ...act,
    outcome: described?.outcome ?? (result.isError ? failureOutcome(result) : 'ok'),
  };
  const detail = described?.detail ?? (result.isError ? resultText(result) : undefined);
  audit.record(detail === undefined ? event : { ...event, detail });
  return result;
}
