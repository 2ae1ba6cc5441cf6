import { useQuery } from '@tanstack/react-query';
import { api } from './api';

/** `GET /api/session`: who the UI is signed in as, and with which role. */
export interface SessionInfo {
  via: 'token' | 'ui-session';
  actor: string;
  role: 'viewer' | 'operator' | 'admin';
  servers: string[] | null;
  expiresAt: number | null;
}

/** Who is signed in; cached for the page (a role changes only with a new sign-in, which reloads it). */
export function useSessionInfo() {
  return useQuery({
    queryKey: ['session-info'],
    queryFn: ({ signal }) => api<SessionInfo>('/api/session', { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
