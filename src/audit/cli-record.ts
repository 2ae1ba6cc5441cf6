import { existsSync } from 'node:fs';
import { OWNER } from '../auth/identity.js';
import type { StoreKey } from '../store/cipher.js';
import { AuditStore, auditPath } from './audit-store.js';
import type { AuditEvent } from './audit-trail.js';

/** The owner at this machine's terminal: the CLI acts for whoever may read the storage dir. */
export const CLI_ACTOR = { ...OWNER, actor: 'owner (cli)' };

/**
 * Records a CLI subcommand's change (`secret set`, `import`, `db encrypt` …) in the storage dir's audit
 * log: open, append, close, chained after whatever a running gateway wrote. Only where a gateway has
 * already kept one (no audit.db is created by the CLI) and only when it can be opened with the key at hand;
 * otherwise `warn` says why and the change stands, as for the gateway's own failing writes.
 */
export function recordCliAct(
  storageDir: string,
  key: StoreKey | null,
  act: Pick<AuditEvent, 'action' | 'target' | 'outcome' | 'detail'>,
  warn: (message: string) => void = () => {},
): void {
  const path = auditPath(storageDir);
  if (!existsSync(path)) return;
  try {
    const store = AuditStore.open(path, { key });
    try {
      store.append({ actor: CLI_ACTOR, source: 'cli', ...act });
    } finally {
      store.close();
    }
  } catch (error) {
    warn(`could not record ${act.action} in the audit log ${path}: ${(error as Error).message}`);
  }
}
