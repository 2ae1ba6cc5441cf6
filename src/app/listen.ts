import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Startup failures whose message is the whole story (port in use, unreadable storage). */
export class StartupError extends Error {
  override name = 'StartupError';
  /** 2 when a setting is wrong (a --host that is no address here, an unusable --storage-dir); else 1. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

function listenFailure(error: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new StartupError(
        `port ${port} on ${host} is already in use (another gateway?). Stop it, or choose another port with --port ${port + 1}`,
      );
    case 'EACCES':
      return new StartupError(
        `not allowed to listen on port ${port}: choose a port above 1024 with --port`,
        2,
      );
    case 'EADDRNOTAVAIL':
      return new StartupError(
        `cannot listen on ${host}: this machine has no such address; use --host 127.0.0.1`,
        2,
      );
    // The name did not resolve (getaddrinfo): a typo such as "0.0.0.0x", or a host name of another machine.
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return new StartupError(
        `cannot listen on ${host}: no such host name or address; use an address of this machine, such as --host 127.0.0.1`,
        2,
      );
    default:
      return error;
  }
}

/** Binds the server; resolves with the port it got (the chosen one when `port` is 0). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenFailure(error, port, host));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
