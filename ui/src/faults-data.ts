import { useQuery } from '@tanstack/react-query';
import { FilterError } from '../../src/filter/errors.js';
import { inFlightProblem } from '../../src/filter/match.js';
import { parseFilter } from '../../src/filter/parser.js';
import { useRefetchOn } from './activity';
import { api, send } from './api';
import type { FilterErrorJson } from './types';

export type FaultDirection = 'client_to_server' | 'server_to_client';

/** A fault rule as `/api/faults` shows it (src/faults/rule.ts). */
export interface FaultRule {
  id: string;
  filter: string;
  direction: FaultDirection | null;
  delayMs?: number;
  error?: { code: number; message: string };
  httpStatus?: number;
  cut?: 'connection' | 'stream';
  probability: number;
  servers: string[] | null;
  createdBy: string;
  createdAt: string;
  fired: number;
}

export type NewFault = Omit<
  FaultRule,
  'id' | 'servers' | 'createdBy' | 'createdAt' | 'fired' | 'direction'
> & {
  direction?: FaultDirection;
};

export const FAULTS_KEY = ['faults'] as const;

/**
 * The armed rules. Every screen shows them (the banner), refetched when the live feed says they changed:
 * a rule armed from another tab, a script or an agent shows up wherever the user is looking. (Not polled:
 * a poll would count as use and keep an idle UI session from ever ending.)
 */
export function useFaults() {
  useRefetchOn(FAULTS_KEY, ['faults-changed'], 200);
  return useQuery({
    queryKey: FAULTS_KEY,
    queryFn: async ({ signal }) => (await api<{ faults: FaultRule[] }>('/api/faults', { signal })).faults,
  });
}

export function addFault(fault: NewFault): Promise<{ fault: FaultRule }> {
  return api<{ fault: FaultRule }>('/api/faults', send('POST', fault));
}

export function removeFault(id: string): Promise<{ fault: FaultRule }> {
  return api<{ fault: FaultRule }>(`/api/faults/${encodeURIComponent(id)}`, send('DELETE'));
}

/** The rule's action in words, as the gateway's audit log words it (src/faults/rule.ts). */
export function describeFault(rule: Pick<FaultRule, 'delayMs' | 'error' | 'httpStatus' | 'cut'>): string {
  const parts: string[] = [];
  if (rule.delayMs !== undefined) parts.push(`delay ${rule.delayMs} ms`);
  const error = rule.error ? `JSON-RPC error ${rule.error.code} "${rule.error.message}"` : null;
  if (rule.httpStatus !== undefined) parts.push(`HTTP ${rule.httpStatus}${error ? ` with ${error}` : ''}`);
  else if (error) parts.push(error);
  if (rule.cut) parts.push(rule.cut === 'stream' ? 'cut the SSE stream' : 'cut the connection');
  return parts.join(', then ');
}

/** A rule's filter checked as the gateway checks it, as the user types ("*" is every message). */
export function faultFilterProblem(text: string): FilterErrorJson | null {
  if (text.trim() === '*') return null;
  try {
    const problem = inFlightProblem(parseFilter(text));
    return problem ? problem.toJSON() : null;
  } catch (error) {
    if (error instanceof FilterError) return error.toJSON();
    throw error;
  }
}
