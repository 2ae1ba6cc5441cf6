import { Agent, fetch as undiciFetch } from 'undici';

/** A fetch that trusts one certificate (PEM), as a client given the gateway's self-signed one would. */
export function trustingFetch(cert: string): typeof fetch {
  const dispatcher = new Agent({ connect: { ca: cert } });
  return ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
}
