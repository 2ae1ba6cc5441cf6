import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-trail.js';
import type { Identity } from '../../src/auth/identity.js';
import { requireRole } from '../../src/auth/roles.js';
import { actorInfo, audited } from '../../src/mcp/actor.js';
import { guarded, ok } from '../../src/mcp/results.js';

const viewer: Identity = { actor: 'val', kind: 'token', role: 'viewer', servers: null, expiresAt: null };

describe('management tools in the audit log', () => {
  it('names the caller the request carried, and records a role refusal as refused', async () => {
    const events: AuditEvent[] = [];
    const trail = { record: (event: AuditEvent) => events.push(event) };
    const extra = { authInfo: actorInfo(viewer, '192.168.1.9') };
    const refused = await audited(trail, extra, { action: 'server.remove', target: 'prod' }, () =>
      guarded(() => {
        requireRole(viewer, 'operator', 'Removing servers');
        return ok({}, 'removed');
      }),
    );
    expect(refused.isError).toBe(true);
    await audited(trail, extra, { action: 'server.restart', target: 'prod' }, async () => ok({}, 'done'));
    expect(events).toEqual([
      {
        actor: viewer,
        source: '192.168.1.9',
        action: 'server.remove',
        target: 'prod',
        outcome: 'refused',
        detail: expect.stringMatching(/^Removing servers needs the operator role; val has viewer/),
      },
      { actor: viewer, source: '192.168.1.9', action: 'server.restart', target: 'prod', outcome: 'ok' },
    ]);
  });
});
