import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCertificateFiles } from '../../src/tls/certificate.js';
import { machineNames, selfSignedCertificate } from '../../src/tls/self-signed.js';

const DAY = 24 * 60 * 60 * 1000;

function storage(): string {
  return mkdtempSync(join(tmpdir(), 'mcp-gateway-tls-'));
}

describe('self-signed certificate in the storage dir', () => {
  it('covers loopback, the machine name and a named --host; not the wildcard', () => {
    expect(machineNames('0.0.0.0', 'Devbox')).toEqual(['localhost', '127.0.0.1', '::1', 'devbox']);
    expect(machineNames('192.168.1.20', 'devbox')).toEqual([
      'localhost',
      '127.0.0.1',
      '::1',
      'devbox',
      '192.168.1.20',
    ]);
  });

  it('covers the names given with --allowed-hosts, by which other machines reach it', async () => {
    expect(machineNames('0.0.0.0', 'devbox', ['gateway.example.lan', '192.168.1.20'])).toEqual([
      'localhost',
      '127.0.0.1',
      '::1',
      'devbox',
      'gateway.example.lan',
      '192.168.1.20',
    ]);
    const dir = storage();
    await selfSignedCertificate({ storageDir: dir, host: '0.0.0.0', warn: () => {} });
    const named = await selfSignedCertificate({
      storageDir: dir,
      host: '0.0.0.0',
      allowedHosts: ['gateway.example.lan'],
      warn: () => {},
    });
    expect(named.made).toBe('it does not cover gateway.example.lan');
    expect(named.names).toContain('DNS:gateway.example.lan');
  });

  it('is made once with mode 600 and reused by the next start', async () => {
    const dir = storage();
    const warnings: string[] = [];
    const first = await selfSignedCertificate({
      storageDir: dir,
      host: '127.0.0.1',
      warn: (m) => warnings.push(m),
    });
    expect(first.made).toBe('none was stored yet');
    expect(statSync(join(dir, 'tls', 'key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'tls', 'cert.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'tls')).mode & 0o777).toBe(0o700);
    expect(first.names).toContain('DNS:localhost');
    expect(first.names).toContain('IP Address:127.0.0.1');
    const again = await selfSignedCertificate({
      storageDir: dir,
      host: '127.0.0.1',
      warn: (m) => warnings.push(m),
    });
    expect(again.made).toBeNull();
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(warnings).toEqual([]);
  });

  it('tightens a key file others can read, with a warning, and keeps the certificate', async () => {
    const dir = storage();
    const first = await selfSignedCertificate({ storageDir: dir, host: '127.0.0.1', warn: () => {} });
    chmodSync(join(dir, 'tls', 'key.pem'), 0o644);
    const warnings: string[] = [];
    const again = await selfSignedCertificate({
      storageDir: dir,
      host: '127.0.0.1',
      warn: (m) => warnings.push(m),
    });
    expect(warnings).toEqual([
      `${join(dir, 'tls', 'key.pem')} was readable by others (mode 644); tightened it to 600`,
    ]);
    expect(statSync(join(dir, 'tls', 'key.pem')).mode & 0o777).toBe(0o600);
    expect(again.fingerprint).toBe(first.fingerprint);
  });

  it('is made anew when the names changed or it nears its end', async () => {
    const dir = storage();
    const first = await selfSignedCertificate({
      storageDir: dir,
      host: '127.0.0.1',
      warn: () => {},
      hostname: 'a',
    });
    const renamed = await selfSignedCertificate({
      storageDir: dir,
      host: '127.0.0.1',
      warn: () => {},
      hostname: 'b',
    });
    expect(renamed.made).toBe('it does not cover b');
    expect(renamed.fingerprint).not.toBe(first.fingerprint);
    const later = Date.now() + 360 * DAY;
    const renewed = await selfSignedCertificate({
      storageDir: dir,
      host: '127.0.0.1',
      warn: () => {},
      hostname: 'b',
      now: () => later,
    });
    expect(renewed.made).toMatch(/^it expires /);
    expect(renewed.validTo.getTime()).toBeGreaterThan(later + 300 * DAY);
  });
});

describe('--tls-cert / --tls-key', () => {
  it('names the file that cannot be read', () => {
    expect(() => loadCertificateFiles('/nonexistent/cert.pem', '/nonexistent/key.pem')).toThrow(
      'cannot read the TLS certificate /nonexistent/cert.pem (no such file): check the path given with --tls-cert',
    );
  });

  it('refuses a key that is not the certificate’s, and a file that is no PEM', async () => {
    const a = await selfSignedCertificate({ storageDir: storage(), host: '127.0.0.1', warn: () => {} });
    const b = await selfSignedCertificate({ storageDir: storage(), host: '127.0.0.1', warn: () => {} });
    expect(() => loadCertificateFiles(a.certPath, b.keyPath)).toThrow(
      `--tls-cert ${a.certPath} / --tls-key ${b.keyPath}: the private key does not belong to the certificate; give the matching PEM pair`,
    );
    const notPem = join(storage(), 'cert.pem');
    writeFileSync(notPem, 'hello');
    expect(() => loadCertificateFiles(notPem, a.keyPath)).toThrow(
      `--tls-cert ${notPem} is not a PEM certificate`,
    );
    expect(() => loadCertificateFiles(a.certPath, notPem)).toThrow(
      `--tls-key ${notPem} is not an unencrypted PEM private key`,
    );
    const loaded = loadCertificateFiles(a.certPath, a.keyPath);
    expect(loaded.fingerprint).toBe(a.fingerprint);
    expect(loaded.cert).toBe(readFileSync(a.certPath, 'utf8'));
  });
});
