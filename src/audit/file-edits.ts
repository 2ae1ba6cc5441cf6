import { OWNER } from '../auth/identity.js';
import type { RegistryChange } from '../registry/registry.js';
import type { AuditTrail } from './audit-trail.js';

/**
 * A hand edit of mcp.json is the owner's act too (whoever can write the file owns the storage dir): each
 * server it added, changed or removed, and a change of its redaction settings, is one audit line, so the
 * log shows every change to what runs, not only those made through the gateway.
 */
export function auditFileEdit(audit: AuditTrail, change: RegistryChange): void {
  const actor = { ...OWNER, actor: 'owner (mcp.json)' };
  const line = (action: string, target: string | null, detail?: string) =>
    audit.record({ actor, source: 'file', action, target, outcome: 'ok', ...(detail ? { detail } : {}) });
  for (const name of change.added) line('server.add', name, 'mcp.json edited by hand');
  for (const name of change.updated) line('server.update', name, 'mcp.json edited by hand');
  for (const name of change.removed) line('server.remove', name, 'mcp.json edited by hand');
  if (change.redaction) line('settings.update', 'redaction', 'mcp.json edited by hand');
}
