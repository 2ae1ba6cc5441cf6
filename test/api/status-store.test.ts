import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

describe('GET /api/status', () => {
  let t: TestGateway | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('names the store the gateway captures into', async () => {
    t = await startTestGateway();
    const status = (await (await t.api('/api/status')).json()) as { store: unknown };
    expect(status.store).toEqual({ kind: 'sqlite', location: join(t.storageDir, 'logs.db') });
  });
});
