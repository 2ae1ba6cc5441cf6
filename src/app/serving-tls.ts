import { Agent, fetch as undiciFetch } from 'undici';
import type { ResolvedConfig } from '../config/options.js';
import { loadCertificateFiles, type ServingCertificate } from '../tls/certificate.js';
import { selfSignedCertificate } from '../tls/self-signed.js';

/** What the gateway serves HTTPS with, and what the banner tells clients about it. */
export interface GatewayTls extends ServingCertificate {
  readonly source: 'files' | 'self-signed';
  /** The certificate file clients can trust (NODE_EXTRA_CA_CERTS, the OS store). */
  readonly certPath: string;
  /** Self-signed: why it was made at this start; null when the stored one was reused. */
  readonly made: string | null;
}

/** The certificate for --tls-cert/--tls-key or --tls self-signed; null for plain HTTP. Throws TlsError. */
export async function servingTls(
  config: Pick<ResolvedConfig, 'tls' | 'host' | 'allowedHosts'>,
  storageDir: string,
  warn: (message: string) => void,
): Promise<GatewayTls | null> {
  const { tls } = config;
  if (tls.kind === 'off') return null;
  if (tls.kind === 'files') {
    return { ...loadCertificateFiles(tls.cert, tls.key), source: 'files', certPath: tls.cert, made: null };
  }
  const made = await selfSignedCertificate({
    storageDir,
    host: config.host,
    allowedHosts: config.allowedHosts,
    warn,
  });
  return { ...made, source: 'self-signed' };
}

/**
 * A fetch for the gateway's calls to itself (legacy HTTP+SSE clients bridged over loopback, replays): it
 * trusts exactly the certificate the gateway serves now (`cert`), whichever local address the client
 * reached it on, and follows it when a renewed one is loaded.
 */
export function selfFetch(cert: () => string): typeof fetch {
  let trusted = '';
  let dispatcher: Agent | undefined;
  const current = () => {
    const pem = cert();
    if (!dispatcher || pem !== trusted) {
      void dispatcher?.close();
      trusted = pem;
      dispatcher = new Agent({ connect: { ca: pem, checkServerIdentity: () => undefined } });
    }
    return dispatcher;
  };
  return ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher: current() })) as unknown as typeof fetch;
}
