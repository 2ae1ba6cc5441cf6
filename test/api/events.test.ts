import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/api/live-events.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteRecordSink } from '../../src/store/record-writer.js';
import { everythingBehindGateway } from '../helpers/everything-gateway.js';
import { TEST_TOKEN } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { freePort } from '../helpers/ports.js';
import { makeRecord } from '../helpers/records.js';
import { openFeed } from '../helpers/sse-client.js';

type RecordsEvent = Extract<LiveEvent, { type: 'records' }>;
const isRecords = (event: LiveEvent): event is RecordsEvent => event.type === 'records';
const summaries = (events: LiveEvent[]) =>
  events.filter(isRecords).flatMap((e) => e.records.map((r) => r.summary));

describe('the live feed', () => {
  const context = everythingBehindGateway();

  it('delivers new records that match its filter, and only those', async () => {
    const feed = await openFeed(
      `${context.gw.url}/api/events?filter=${encodeURIComponent('method:tools/call')}`,
      TEST_TOKEN,
    );
    try {
      const hello = await feed.waitFor((e) => e.type === 'hello');
      expect(hello).toMatchObject({ type: 'hello', filter: 'method:tools/call' });
      const client = await connectClient(context.gw.proxyUrl('everything'));
      await client.client.callTool({ name: 'echo', arguments: { message: 'live!' } });
      await client.close();
      await feed.waitFor((e) => isRecords(e) && e.records.some((r) => r.summary === 'Echo: live!'));
      expect(summaries(feed.events)).toEqual(['echo(message: live!)', 'Echo: live!']);
      const last = feed.events.filter(isRecords).at(-1);
      expect((last as { id?: string }).id).toBe(String(last?.lastId));
    } finally {
      feed.close();
    }
  });

  it('delivers records written by another process on the same storage dir', async () => {
    const feed = await openFeed(`${context.gw.url}/api/events?filter=server:wrapped`, TEST_TOKEN);
    const db = openDatabase(join(context.gw.storageDir, 'logs.db'));
    try {
      await feed.waitFor((e) => e.type === 'hello');
      new SqliteRecordSink(db).insert(makeRecord({ server: 'wrapped', summary: 'from elsewhere' }));
      await feed.waitFor((e) => isRecords(e));
      expect(summaries(feed.events)).toEqual(['from elsewhere']);
    } finally {
      db.close();
      feed.close();
    }
  });

  it('resumes after Last-Event-ID with what the client missed', async () => {
    const first = await openFeed(`${context.gw.url}/api/events?filter=server:resume`, TEST_TOKEN);
    const hello = (await first.waitFor((e) => e.type === 'hello')) as Extract<LiveEvent, { type: 'hello' }>;
    first.close();
    const db = openDatabase(join(context.gw.storageDir, 'logs.db'));
    new SqliteRecordSink(db).insert(makeRecord({ server: 'resume', summary: 'missed while away' }));
    db.close();
    const again = await openFeed(`${context.gw.url}/api/events?filter=server:resume`, TEST_TOKEN, {
      'last-event-id': String(hello.lastId),
    });
    try {
      await again.waitFor(isRecords);
      expect(summaries(again.events)).toEqual(['missed while away']);
    } finally {
      again.close();
    }
  });

  it('pushes server health changes and registry changes', async () => {
    const feed = await openFeed(`${context.gw.url}/api/events`, TEST_TOKEN);
    try {
      await context.gw.register('gone', { type: 'http', url: `http://127.0.0.1:${await freePort()}/mcp` });
      await feed.waitFor((e) => e.type === 'servers-changed');
      const change = await feed.waitFor((e) => e.type === 'server-health' && e.server === 'gone');
      expect(change).toMatchObject({ previous: 'unknown', health: { state: 'down' }, source: 'probe' });
    } finally {
      feed.close();
    }
  });

  it('announces new records as counts with activity=true, filtered or not', async () => {
    const all = await openFeed(`${context.gw.url}/api/events?activity=true`, TEST_TOKEN);
    const some = await openFeed(
      `${context.gw.url}/api/events?activity=true&filter=server:counted`,
      TEST_TOKEN,
    );
    const db = openDatabase(join(context.gw.storageDir, 'logs.db'));
    try {
      await all.waitFor((e) => e.type === 'hello');
      await some.waitFor((e) => e.type === 'hello');
      const sink = new SqliteRecordSink(db);
      sink.insert(makeRecord({ server: 'counted', summary: 'one' }));
      sink.insert(makeRecord({ server: 'counted', summary: 'two' }));
      sink.insert(makeRecord({ server: 'other', summary: 'three' }));
      const total = (events: LiveEvent[]) =>
        events.reduce((sum, e) => sum + (e.type === 'activity' ? e.count : 0), 0);
      await expect.poll(() => total(all.events)).toBe(3);
      await expect.poll(() => total(some.events)).toBe(2);
      expect([...all.events, ...some.events].some(isRecords)).toBe(false);
    } finally {
      db.close();
      all.close();
      some.close();
    }
  });

  it('sends records without message and headers with fields=summary', async () => {
    const feed = await openFeed(
      `${context.gw.url}/api/events?fields=summary&filter=${encodeURIComponent('method:tools/call')}`,
      TEST_TOKEN,
    );
    try {
      await feed.waitFor((e) => e.type === 'hello');
      const client = await connectClient(context.gw.proxyUrl('everything'));
      await client.client.callTool({ name: 'echo', arguments: { message: 'rows only' } });
      await client.close();
      await feed.waitFor((e) => isRecords(e) && e.records.some((r) => r.summary === 'Echo: rows only'));
      const records = feed.events.filter(isRecords).flatMap((e) => e.records);
      expect(records.map((r) => r.summary)).toEqual(['echo(message: rows only)', 'Echo: rows only']);
      for (const record of records) {
        expect(record).not.toHaveProperty('message');
        expect(record).not.toHaveProperty('headers');
        expect(record).toMatchObject({
          server: 'everything',
          method: 'tools/call',
          size: expect.any(Number),
        });
      }
    } finally {
      feed.close();
    }
  });

  it('refuses a bad filter before opening the stream', async () => {
    const response = await context.gw.api('/api/events?filter=kind:nope');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ position: 5, suggestion: null });
  });
});
