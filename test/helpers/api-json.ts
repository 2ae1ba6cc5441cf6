import { expect } from 'vitest';
import type { TestGateway } from './gateway.js';

/** GET (or another method) on the REST API, expecting `status`, returning the parsed JSON body. */
export async function apiJson<T = Record<string, unknown>>(
  gw: TestGateway,
  path: string,
  status = 200,
  init: RequestInit = {},
): Promise<T> {
  const response = await gw.api(path, init);
  const text = await response.text();
  expect(response.status, `${init.method ?? 'GET'} ${path}: ${text}`).toBe(status);
  return JSON.parse(text) as T;
}
