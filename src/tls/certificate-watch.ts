import { unwatchFile, watchFile } from 'node:fs';
import { loadCertificateFiles, type ServingCertificate, TlsError } from './certificate.js';

/** How often the files are looked at: renewals happen every few weeks, a few seconds late is nothing. */
const POLL_MS = 5_000;
/**
 * A renewal writes two files, seldom at the same instant (certbot swaps symlinks one after the other): the
 * pair is read once neither has changed for this long, so a half-written pair is not even tried.
 */
const SETTLE_MS = 1_000;

export interface CertificateWatch {
  stop(): void;
}

/**
 * Watches `--tls-cert` and `--tls-key` for a renewed pair. A pair that loads and checks (the key the
 * certificate's, not expired: loadCertificateFiles) is handed to `renewed`, and new connections get it;
 * one that does not is reported once per change and the current certificate stays in service. Polling
 * (stat) rather than fs.watch: it follows symlinks, which is how certbot and most ACME clients renew.
 */
export function watchCertificateFiles(
  certPath: string,
  keyPath: string,
  current: ServingCertificate,
  handlers: { renewed: (certificate: ServingCertificate) => void; refused: (message: string) => void },
  options: { pollMs?: number; settleMs?: number } = {},
): CertificateWatch {
  let serving = current;
  let settle: NodeJS.Timeout | undefined;
  const check = () => {
    settle = undefined;
    let loaded: ServingCertificate;
    try {
      loaded = loadCertificateFiles(certPath, keyPath);
    } catch (error) {
      if (!(error instanceof TlsError)) throw error;
      handlers.refused(
        `${error.message}. Still serving the certificate valid until ${serving.validTo.toISOString()} (SHA-256 ${serving.fingerprint})`,
      );
      return;
    }
    if (loaded.fingerprint === serving.fingerprint && loaded.key === serving.key) return;
    serving = loaded;
    handlers.renewed(loaded);
  };
  const changed = () => {
    clearTimeout(settle);
    settle = setTimeout(check, options.settleMs ?? SETTLE_MS);
    settle.unref();
  };
  const interval = options.pollMs ?? POLL_MS;
  for (const path of [certPath, keyPath]) watchFile(path, { interval, persistent: false }, changed);
  return {
    stop() {
      clearTimeout(settle);
      for (const path of [certPath, keyPath]) unwatchFile(path, changed);
    },
  };
}
