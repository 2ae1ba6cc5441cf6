import { createHash, createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

/** A certificate and key the gateway can serve HTTPS with; the message of a problem names the fix. */
export class TlsError extends Error {
  override name = 'TlsError';
}

export interface ServingCertificate {
  /** PEM: the certificate, then any intermediates. */
  readonly cert: string;
  readonly key: string;
  /** SHA-256 of the certificate (DER), colon-separated hex: what browsers and `openssl x509 -fingerprint` show. */
  readonly fingerprint: string;
  /** SHA-256 of the public key (SPKI DER), base64: what Chromium's --ignore-certificate-errors-spki-list takes. */
  readonly spkiSha256: string;
  readonly validTo: Date;
  /** The names it covers (subjectAltName), e.g. "DNS:localhost, IP Address:127.0.0.1". */
  readonly names: string;
}

function readPem(path: string, what: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
    throw new TlsError(`cannot read the TLS ${what} ${path} (${why}): check the path given with ${flag}`);
  }
}

/** Parses and checks a PEM certificate and key: both readable, the key the certificate's, not expired. */
export function servingCertificate(cert: string, key: string, now = Date.now()): ServingCertificate {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new TlsError('is not a PEM certificate (it should begin with -----BEGIN CERTIFICATE-----)');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new TlsError(
      'is not an unencrypted PEM private key (it should begin with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA/EC PRIVATE KEY-----)',
    );
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new TlsError('the private key does not belong to the certificate');
  }
  const validTo = new Date(x509.validTo);
  if (validTo.getTime() <= now) throw new TlsError(`the certificate expired on ${validTo.toISOString()}`);
  // What OpenSSL would refuse at the first handshake is refused now, at startup.
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new TlsError(`OpenSSL refuses them: ${(error as Error).message}`);
  }
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  return {
    cert,
    key,
    fingerprint: x509.fingerprint256,
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
    validTo,
    names: x509.subjectAltName ?? `CN ${x509.subject}`,
  };
}

/** `--tls-cert` / `--tls-key`: the owner's PEM files, checked before the gateway binds its port. */
export function loadCertificateFiles(certPath: string, keyPath: string): ServingCertificate {
  const cert = readPem(certPath, 'certificate', '--tls-cert');
  const key = readPem(keyPath, 'key', '--tls-key');
  try {
    return servingCertificate(cert, key);
  } catch (error) {
    if (!(error instanceof TlsError)) throw error;
    const subject = error.message.startsWith('is not a PEM certificate')
      ? `--tls-cert ${certPath} `
      : error.message.startsWith('is not')
        ? `--tls-key ${keyPath} `
        : `--tls-cert ${certPath} / --tls-key ${keyPath}: `;
    throw new TlsError(`${subject}${error.message}; give the matching PEM pair (docs/tls.md)`);
  }
}
