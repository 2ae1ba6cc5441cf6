import { useQuery } from '@tanstack/react-query';
/** A breakpoint rule as `/api/intercepts` shows it, and a message one holds (`GET /api/intercepts/held`). */
import type { BreakpointRule, HeldMessage } from '../../src/intercept/breakpoints.js';
import { useRefetchOn } from './activity';
import { api, send } from './api';
import { useCan } from './session';

export type { BreakpointRule, HeldMessage };

export interface NewRule {
  filter: string;
  direction?: 'client_to_server' | 'server_to_client';
  timeoutMs?: number;
  onTimeout?: 'forward' | 'fail';
}

export const RULES_KEY = ['intercepts'] as const;
export const HELD_KEY = ['intercepts', 'held'] as const;
const HELD_EVENTS = ['intercept-held', 'intercept-released'] as const;

export function useRules() {
  // A rule's count of held messages changes as it holds them.
  useRefetchOn(RULES_KEY, HELD_EVENTS, 500);
  return useQuery({
    queryKey: RULES_KEY,
    queryFn: ({ signal }) =>
      api<{ rules: BreakpointRule[]; passedOverCap: number }>('/api/intercepts', { signal }),
  });
}

/**
 * What breakpoints hold now, kept live by the feed's held/released events. Only operators may read held
 * messages (they are traffic before redaction): for anyone else this asks nothing and holds nothing.
 */
export function useHeld() {
  const operator = useCan('operator');
  useRefetchOn(HELD_KEY, HELD_EVENTS, 100);
  return useQuery({
    queryKey: HELD_KEY,
    queryFn: ({ signal }) => api<{ held: HeldMessage[] }>('/api/intercepts/held', { signal }),
    enabled: operator,
  });
}

export const addRule = (rule: NewRule) => api<BreakpointRule>('/api/intercepts', send('POST', rule));

export const removeRule = (id: string) => api(`/api/intercepts/${encodeURIComponent(id)}`, send('DELETE'));

export type ReleaseAction = 'forward' | 'drop' | 'reply';

export const releaseHeld = (id: number, action: ReleaseAction, message?: unknown) =>
  api(`/api/intercepts/held/${id}/${action}`, send('POST', message === undefined ? {} : { message }));
