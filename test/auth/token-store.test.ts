import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/auth/duration.js';
import { TokenStore, TokenStoreError } from '../../src/auth/token-store.js';
import { GatewayError } from '../../src/core/errors.js';

const DAY = 86_400_000;

describe('TokenStore: tokens.json', () => {
  let dir: string;
  let now: number;
  let store: TokenStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-tokens-'));
    now = Date.parse('2026-01-01T00:00:00Z');
    store = new TokenStore(dir, () => now);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps only a digest of each value, in a file of mode 600', () => {
    const { value, token } = store.create({ name: 'ci-bot', role: 'viewer', servers: ['github'] });
    expect(value).toMatch(/^mgw_[A-Za-z0-9_-]{43}$/);
    expect(token).not.toHaveProperty('hash');
    const text = readFileSync(store.path, 'utf8');
    expect(text).not.toContain(value);
    expect(text).not.toContain(value.slice(4));
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(text).tokens[0]).toMatchObject({ name: 'ci-bot', role: 'viewer', servers: ['github'] });
    // Another process (a running gateway) reading the same file knows the value by its digest.
    expect(new TokenStore(dir).lookup(value)).toMatchObject({
      actor: 'ci-bot',
      kind: 'token',
      role: 'viewer',
      servers: ['github'],
    });
    expect(store.list().map((t) => Object.keys(t).includes('hash'))).toEqual([false]);
  });

  it('stops accepting a token when it expires, and lists it as expired', () => {
    const { value } = store.create({ name: 'short', role: 'operator', expiresInMs: parseDuration('12h') });
    expect(store.lookup(value)?.expiresAt).toBe(now + 12 * 3_600_000);
    now += 12 * 3_600_000 - 1;
    expect(store.lookup(value)?.actor).toBe('short');
    now += 1;
    expect(store.lookup(value)).toBeUndefined();
    expect(store.stillValid('short')).toBe(false);
    expect(store.list()[0]).toMatchObject({ name: 'short', expired: true });
    // A rotation of an expired token needs a new lifetime: the new value would be dead already.
    expect(() => store.rotate('short')).toThrow(/expired .* --expires 30d/);
    const rotated = store.rotate('short', { expiresInMs: DAY });
    expect(store.lookup(rotated?.value ?? '')?.actor).toBe('short');
  });

  it('rotation and revocation kill the old value, and what it opened, at once', () => {
    const first = store.create({ name: 'laptop', role: 'admin' });
    const signedIn = store.lookup(first.value);
    expect(signedIn && store.current(signedIn)).toBe(true);
    const rotated = store.rotate('laptop');
    expect(store.lookup(first.value)).toBeUndefined();
    const now2 = store.lookup(rotated?.value ?? '');
    expect(now2?.actor).toBe('laptop');
    // A UI session opened with the old value is over; one opened with the new value holds.
    expect(signedIn && store.current(signedIn)).toBe(false);
    expect(now2 && store.current(now2)).toBe(true);
    expect(store.revoke('laptop')?.name).toBe('laptop');
    expect(store.lookup(rotated?.value ?? '')).toBeUndefined();
    expect(now2 && store.current(now2)).toBe(false);
    // The same name made again is a new token: the old sessions stay over.
    const again = store.create({ name: 'laptop', role: 'admin' });
    expect(store.lookup(again.value)?.actor).toBe('laptop');
    expect(now2 && store.current(now2)).toBe(false);
    expect(store.revoke('laptop')).toBeDefined();
    expect(store.revoke('laptop')).toBeUndefined();
  });

  it('refuses bad names, a taken name, the owner name and bad server names, writing nothing', () => {
    store.create({ name: 'ci-bot', role: 'viewer' });
    const before = readFileSync(store.path, 'utf8');
    expect(() => store.create({ name: 'ci-bot', role: 'admin' })).toThrow(
      /already exists.*token rotate ci-bot/,
    );
    expect(() => store.create({ name: 'owner', role: 'admin' })).toThrow(/startup token's name/);
    expect(() => store.create({ name: 'has space', role: 'viewer' })).toThrow(/not a valid token name/);
    expect(() => store.create({ name: 'x', role: 'viewer', servers: ['Not Valid'] })).toThrow(
      TokenStoreError,
    );
    expect(readFileSync(store.path, 'utf8')).toBe(before);
  });

  it('a damaged file is reported with what to do, never overwritten, and refuses named tokens (503)', () => {
    const { value } = store.create({ name: 'ci-bot', role: 'viewer' });
    writeFileSync(store.path, '{"version": 1, "tokens": [{"name": "ci-bot"', { mode: 0o600 });
    const damaged = readFileSync(store.path, 'utf8');
    expect(() => store.list()).toThrow(/is not a token file the gateway can read.*Restore it from a backup/);
    expect(() => store.create({ name: 'other', role: 'viewer' })).toThrow(/not a token file/);
    expect(() => store.revoke('ci-bot')).toThrow(/not a token file/);
    let refusal: unknown;
    try {
      new TokenStore(dir).lookup(value);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(GatewayError);
    expect((refusal as GatewayError).status).toBe(503);
    expect((refusal as GatewayError).message).toContain('Named tokens cannot be checked now');
    expect(readFileSync(store.path, 'utf8')).toBe(damaged);
    // Not a named token's value: the owner's token is not this store's business and is never refused here.
    expect(store.lookup('the-owner-token-0123456789')).toBeUndefined();
  });

  it('an unreadable file says so (not run as root, who reads anything)', () => {
    if (process.getuid?.() === 0) return;
    store.create({ name: 'ci-bot', role: 'viewer' });
    chmodSync(store.path, 0o000);
    expect(() => new TokenStore(dir).list()).toThrow(/cannot read .*EACCES/);
  });

  it('records the last use at most once a minute, without refusing the token when it cannot', () => {
    const { value } = store.create({ name: 'ci-bot', role: 'viewer' });
    store.lookup(value);
    expect(store.list()[0]?.lastUsed).toBe(new Date(now).toISOString());
    now += 30_000;
    store.lookup(value);
    expect(store.list()[0]?.lastUsed).toBe(new Date(now - 30_000).toISOString());
    now += 31_000;
    // Another process holds the file: the hint waits, the token still works.
    writeFileSync(`${store.path}.lock`, '');
    expect(store.lookup(value)?.actor).toBe('ci-bot');
    expect(new TokenStore(dir).list()[0]?.lastUsed).toBe(new Date(now - 61_000).toISOString());
  });

  it('a change waits for another process holding the file, then refuses clearly', () => {
    writeFileSync(`${store.path}.lock`, '');
    const started = Date.now();
    expect(() => store.create({ name: 'ci-bot', role: 'viewer' })).toThrow(
      /being changed by another mcp-gateway process: nothing was changed/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    rmSync(`${store.path}.lock`);
    expect(store.create({ name: 'ci-bot', role: 'viewer' }).token.name).toBe('ci-bot');
  });
});

describe('parseDuration', () => {
  it('reads minutes, hours, days and weeks, and says what to write otherwise', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('30d')).toBe(30 * DAY);
    expect(parseDuration('8w')).toBe(56 * DAY);
    expect(() => parseDuration('30')).toThrow(/such as 90m, 12h, 30d or 8w/);
    expect(() => parseDuration('1y')).toThrow(/not a duration/);
    expect(() => parseDuration('0d')).toThrow(/above zero/);
    expect(() => parseDuration('5000d')).toThrow(/leave expiry out/);
  });
});
