import { useQuery } from '@tanstack/react-query';
import { useRefetchOn } from './activity';
import { api } from './api';
import type { PendingServer, ServerJson } from './types';

const SERVER_EVENTS = ['server-health', 'servers-changed', 'activity', 'records-deleted'] as const;

/** The registered servers with status, health and counts; kept current by the live connection. */
export function useServers() {
  useRefetchOn(['servers'], SERVER_EVENTS, 1000);
  return useQuery({
    queryKey: ['servers'],
    queryFn: async () => (await api<{ data: ServerJson[] }>('/api/servers')).data,
  });
}

/** stdio launches an MCP client asked for, awaiting the owner's approval; kept current by the live feed. */
export function usePendingServers() {
  useRefetchOn(['servers', 'pending'], ['approvals-changed', 'servers-changed'], 300);
  return useQuery({
    queryKey: ['servers', 'pending'],
    queryFn: async () => (await api<{ data: PendingServer[] }>('/api/servers/pending')).data,
  });
}
