import { useQuery } from '@tanstack/react-query';
import { api } from './api';

/** The roles of src/auth/roles.ts, each with the rights of the ones before it. */
export type Role = 'viewer' | 'operator' | 'admin';
const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

/** `GET /api/session`: who is signed in, with which role and servers. */
export interface SessionInfo {
  via: 'token' | 'ui-session';
  csrfToken: string | null;
  actor: string;
  role: Role;
  servers: string[] | null;
  expiresAt: number | null;
}

export const SESSION_KEY = ['session'] as const;

export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: ({ signal }) => api<SessionInfo>('/api/session', { signal }),
    // Who is signed in changes only by signing in or out; a 401 anywhere asks again (main.tsx).
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * True when the signed-in role may use controls that need `needed`. The gateway refuses the rest anyway
 * (403 naming the role); the UI only does not offer what would be refused. False until the session is
 * known, so no control flashes up and vanishes.
 */
export function useCan(needed: Role): boolean {
  const role = useSession().data?.role;
  return role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export function isAdmin(session: SessionInfo | undefined): boolean {
  return session?.role === 'admin';
}
