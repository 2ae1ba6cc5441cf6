import { request } from 'node:http';
import { Agent, fetch as undiciFetch } from 'undici';
import type { RawResponse } from './http.js';

/**
 * Linux routes all of 127.0.0.0/8 to the loopback interface, so a test can be a second client machine by
 * connecting from 127.0.0.2: the gateway sees another remote address.
 */
export const OTHER_CLIENT = '127.0.0.2';

/** `fetch` whose connections leave from `localAddress`, for the SDK client's transport. */
export function fetchFrom(localAddress: string): typeof fetch {
  const dispatcher = new Agent({ localAddress });
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
}

/** A plain HTTP/1.1 request from `localAddress` (see test/helpers/http.ts for the same from 127.0.0.1). */
export function httpRequestFrom(
  localAddress: string,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
