import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

describe('REST /api/secrets', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ healthInterval: 0 });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it('stores a value and answers with its reference; lists names only; never returns a value', async () => {
    const put = await gw.api('/api/secrets/GITHUB_TOKEN', {
      method: 'PUT',
      body: JSON.stringify({ value: 'ghp_restValue0123456789' }),
    });
    expect(put.status).toBe(200);
    const stored = await put.text();
    expect(JSON.parse(stored)).toEqual({ name: 'GITHUB_TOKEN', reference: '$' + '{secret:GITHUB_TOKEN}' });
    const list = await gw.api('/api/secrets');
    const text = await list.text();
    expect(JSON.parse(text).names).toEqual(['GITHUB_TOKEN']);
    expect(text).not.toContain('ghp_restValue0123456789');
    expect((await gw.api('/api/secrets/GITHUB_TOKEN', { method: 'DELETE' })).status).toBe(200);
    expect((await gw.api('/api/secrets/GITHUB_TOKEN', { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses bad names and empty values with what to send instead, and needs the token', async () => {
    const badName = await gw.api('/api/secrets/has%20space', { method: 'PUT', body: '{"value":"x"}' });
    expect(badName.status).toBe(400);
    expect(((await badName.json()) as { error: string }).error).toContain('is not a valid secret name');
    const empty = await gw.api('/api/secrets/OK', { method: 'PUT', body: '{"value":""}' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: string }).error).toContain('{"value": "..."}');
    const anonymous = await fetch(`${gw.url}/api/secrets`);
    expect(anonymous.status).toBe(401);
  });
});
