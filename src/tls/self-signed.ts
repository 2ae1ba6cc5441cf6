import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { type ServingCertificate, servingCertificate, TlsError } from './certificate.js';

/** A new certificate lasts this long; one with less than RENEW_BEFORE_MS left is made anew at startup. */
const VALID_DAYS = 365;
const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;

export interface SelfSignedOptions {
  storageDir: string;
  /** --host: covered too when it names one address or host (not 0.0.0.0 or ::). */
  host: string;
  /** --allowed-hosts: the names clients on other machines address the gateway by, covered too. */
  allowedHosts?: readonly string[];
  warn: (message: string) => void;
  now?: () => number;
  /** This machine's name; os.hostname() unless a test says otherwise. */
  hostname?: string;
}

export interface SelfSigned extends ServingCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  /** Made at this start (rather than reused), and why. */
  readonly made: string | null;
}

/**
 * The names a local certificate covers: loopback, this machine's name, the bound host, and the names given
 * with --allowed-hosts (which other machines use to reach it).
 */
export function machineNames(
  host: string,
  machine = hostname(),
  allowedHosts: readonly string[] = [],
): string[] {
  const names = ['localhost', '127.0.0.1', '::1'];
  const bare = (name: string) => name.replace(/^\[|\]$/g, '').toLowerCase();
  for (const name of [machine, host, ...allowedHosts].map(bare)) {
    if (name === '' || name === '0.0.0.0' || name === '::') continue;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Why the stored certificate cannot be used for `names` any more, or null when it still fits. */
function staleReason(cert: string, names: readonly string[], now: number): string | null {
  const x509 = new X509Certificate(cert);
  if (new Date(x509.validTo).getTime() - now < RENEW_BEFORE_MS) return `it expires ${x509.validTo}`;
  const missing = names.filter((name) => (isIP(name) ? !x509.checkIP(name) : !x509.checkHost(name)));
  return missing.length > 0 ? `it does not cover ${missing.join(', ')}` : null;
}

/** As the storage dir's other files (storage-dir.ts): a looser mode is repaired, with a warning. */
function tighten(path: string, wanted: number, warn: (message: string) => void): void {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  chmodSync(path, wanted);
  warn(`${path} was readable by others (mode ${mode.toString(8)}); tightened it to ${wanted.toString(8)}`);
}

/** Atomic, private writes: a crash leaves the old file or the new one, never half of one. */
function writePrivate(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, path);
}

async function make(names: readonly string[], now: number): Promise<{ cert: string; key: string }> {
  const notBeforeDate = new Date(now - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'MCP Gateway (self-signed)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(now + VALID_DAYS * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })),
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * `--tls self-signed`: the certificate in `<storage>/tls/` (cert.pem, key.pem, mode 600), made on first use
 * and kept, so a client trusts it once; made anew when it nears its end or the machine's names changed.
 */
export async function selfSignedCertificate(options: SelfSignedOptions): Promise<SelfSigned> {
  const now = options.now?.() ?? Date.now();
  const dir = join(options.storageDir, 'tls');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const names = machineNames(options.host, options.hostname, options.allowedHosts);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700, options.warn);
  let made: string | null = 'none was stored yet';
  if (existsSync(certPath) && existsSync(keyPath)) {
    tighten(keyPath, 0o600, options.warn);
    tighten(certPath, 0o600, options.warn);
    try {
      const stored = servingCertificate(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8'), now);
      made = staleReason(stored.cert, names, now);
      if (made === null) return { ...stored, certPath, keyPath, made };
    } catch (error) {
      made = `the stored one is unusable (${(error as Error).message})`;
    }
  }
  let pems: { cert: string; key: string };
  try {
    pems = await make(names, now);
    writePrivate(keyPath, pems.key);
    writePrivate(certPath, pems.cert);
  } catch (error) {
    throw new TlsError(`cannot make a self-signed certificate in ${dir}: ${(error as Error).message}`);
  }
  return { ...servingCertificate(pems.cert, pems.key, now), certPath, keyPath, made };
}
