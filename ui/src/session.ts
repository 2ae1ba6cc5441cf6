import { useQuery } from '@tanstack/react-query';
import { api } from './api';

export type Role = 'viewer' | 'operator' | 'admin';

/** Who this browser is signed in as (`GET /api/session`): what the UI offers depends on the role. */
export interface SessionInfo {
  via: 'token' | 'ui-session';
  actor: string;
  role: Role;
  servers: string[] | null;
  expiresAt: number | null;
}

export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: () => api<SessionInfo>('/api/session'),
    staleTime: 60_000,
  });
}

export function isAdmin(session: SessionInfo | undefined): boolean {
  return session?.role === 'admin';
}
