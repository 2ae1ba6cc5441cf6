import type { Context } from 'hono';
import { GatewayError } from '../core/errors.js';
import { andFilters, type Filter } from '../filter/ast.js';
import { filterFromParams } from '../filter/params.js';
import { parseFilter } from '../filter/parser.js';
import type { Order } from '../store/log-store.js';

/** Query parameters shared by the REST routes, read and checked in one place. */

export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

export function integerParam(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new GatewayError(400, `"${name}" must be a whole number from ${min} to ${max}; got "${value}".`);
  }
  return number;
}

export function orderParam(value: string | undefined, fallback: Order = 'desc'): Order {
  const order = value || fallback;
  if (order !== 'asc' && order !== 'desc') {
    throw new GatewayError(400, `"order" must be "asc" or "desc"; got "${value}".`);
  }
  return order;
}

/** A page of whole records ends early past this many bytes of messages; `nextCursor` leads on. */
export const PAGE_BYTES_OF_BODIES = 16 * 1024 * 1024;

/**
 * `fields=summary` leaves each record's message and headers out (lists of rows need neither, and a
 * stream of large results then costs neither side its bodies); `fields=all`, the default, keeps them.
 */
export function bodiesParam(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'all') return true;
  if (value === 'summary') return false;
  throw new GatewayError(400, `"fields" must be "all" or "summary"; got "${value}".`);
}

export interface Paging {
  limit: number;
  cursor: number | undefined;
}

export function pagingParams(c: Context, defaultLimit = DEFAULT_PAGE): Paging {
  return {
    limit: integerParam(c.req.query('limit'), 'limit', 1, MAX_PAGE) ?? defaultLimit,
    cursor: integerParam(c.req.query('cursor'), 'cursor', 0, Number.MAX_SAFE_INTEGER),
  };
}

/**
 * The filter a request asks for: `filter=` in the filter language, ANDed with any of the parameters other
 * MCP log tools use (`server=`, `method=`, `q=`, `durationGt=` ...). Throws FilterError (a 400 that says
 * where) when either is malformed.
 */
export function filterFromQuery(query: Record<string, string | undefined>): Filter {
  return andFilters(parseFilter(query.filter ?? ''), filterFromParams(query));
}

export function requestFilter(c: Context): Filter {
  return filterFromQuery(c.req.query());
}

/** The pagination block every list answers with. */
export function pagination(
  count: number,
  limit: number,
  hasMore: boolean,
  nextCursor: string | null,
): { count: number; limit: number; hasMore: boolean; nextCursor: string | null } {
  return { count, limit, hasMore, nextCursor };
}
