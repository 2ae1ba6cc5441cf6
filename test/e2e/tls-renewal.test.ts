import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../src/tls/self-signed.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';

/** A certificate and key made by the gateway's own self-signed code, each pair in a directory of its own. */
async function pair(root: string, name: string) {
  const made = await selfSignedCertificate({
    storageDir: join(root, name),
    host: '127.0.0.1',
    warn: () => {},
  });
  return { cert: made.certPath, key: join(root, name, 'tls', 'key.pem'), fingerprint: made.fingerprint };
}

/** The SHA-256 fingerprint of the certificate a new connection to the port is shown. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a renewed certificate (--tls-cert / --tls-key)', () => {
  let gw: TestGateway | undefined;
  let root: string | undefined;
  afterEach(async () => {
    await gw?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
    gw = root = undefined;
  });

  it('is served to new connections without a restart; a pair that does not match keeps the old one in service', async () => {
    root = mkdtempSync(join(tmpdir(), 'mcp-gateway-tls-renewal-'));
    const first = await pair(root, 'first');
    const renewed = await pair(root, 'renewed');
    const live = { cert: join(root, 'cert.pem'), key: join(root, 'key.pem') };
    copyFileSync(first.cert, live.cert);
    copyFileSync(first.key, live.key);
    gw = await startTestGateway({ tlsCert: live.cert, tlsKey: live.key });
    const port = Number(new URL(gw.url).port);
    expect(await servedFingerprint(port)).toBe(first.fingerprint);

    // Half a renewal: the new certificate with the old key. It cannot serve, so nothing changes.
    copyFileSync(renewed.cert, live.cert);
    await until(
      () => gw?.messages.some((m) => m.includes('the TLS certificate files changed, but')) ?? false,
    );
    expect(gw.messages.join('\n')).toContain('the private key does not belong to the certificate');
    expect(await servedFingerprint(port)).toBe(first.fingerprint);

    // The key follows: the pair is whole, and new connections get it.
    copyFileSync(renewed.key, live.key);
    await until(() => gw?.messages.some((m) => m.startsWith('TLS certificate renewed')) ?? false);
    expect(await servedFingerprint(port)).toBe(renewed.fingerprint);
    // A client that trusts only the renewed certificate is served.
    const dispatcher = new Agent({
      connect: {
        ca: readFileSync(renewed.cert, 'utf8'),
        checkServerIdentity: () => undefined,
      },
    });
    const status = await undiciFetch(`https://127.0.0.1:${port}/api/status`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
      dispatcher,
    });
    expect(status.status).toBe(200);
    await dispatcher.close();
  });
});
