import { afterAll, beforeAll } from 'vitest';
import { type RunningEverything, startEverything } from './everything.js';
import { startTestGateway, type TestGateway } from './gateway.js';

export interface EverythingGateway {
  everything: RunningEverything;
  gw: TestGateway;
}

/**
 * server-everything registered as "everything" behind a test gateway, for the whole describe block:
 * started before its tests, stopped after. Read the fields inside tests (they are set by then).
 */
export function everythingBehindGateway(): EverythingGateway {
  const context = {} as EverythingGateway;
  beforeAll(async () => {
    context.everything = await startEverything();
    context.gw = await startTestGateway({
      servers: { everything: { type: 'http', url: context.everything.url } },
    });
  });
  afterAll(async () => {
    await context.gw?.stop();
    await context.everything?.stop();
  });
  return context;
}
