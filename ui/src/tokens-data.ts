import { useQuery } from '@tanstack/react-query';
import { api, send } from './api';
import type { Role } from './session';

/** A named token as `/api/tokens` shows it: never its value. */
export interface TokenInfo {
  name: string;
  role: Role;
  servers: string[] | null;
  created: string;
  rotated: string | null;
  expires: string | null;
  lastUsed: string | null;
  expired: boolean;
}

/** The one answer that carries a token's value: shown once, then gone. */
export interface IssuedToken {
  token: TokenInfo;
  value: string;
}

export interface NewToken {
  name: string;
  role: Role;
  servers: string[] | null;
  expires: string | null;
}

/** Lifetimes offered when creating a token; the API takes any `90m`, `12h`, `30d`, `8w`. */
export const EXPIRY_CHOICES = [
  { value: '', label: 'Never' },
  { value: '1d', label: '1 day' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: '52w', label: '1 year' },
] as const;

export function useTokens() {
  return useQuery({
    queryKey: ['tokens'],
    queryFn: async () => (await api<{ tokens: TokenInfo[] }>('/api/tokens')).tokens,
  });
}

export function createToken(token: NewToken): Promise<IssuedToken> {
  return api<IssuedToken>('/api/tokens', send('POST', token));
}

export function rotateToken(name: string): Promise<IssuedToken> {
  return api<IssuedToken>(`/api/tokens/${encodeURIComponent(name)}/rotate`, send('POST'));
}

export function revokeToken(name: string): Promise<unknown> {
  return api(`/api/tokens/${encodeURIComponent(name)}`, send('DELETE'));
}

/** The problem with a token name as typed, or null (the gateway checks again). */
export function tokenNameProblem(name: string): string | null {
  if (name === '') return 'Give the token a name, such as ci-bot.';
  if (name === 'owner') return '"owner" is the startup token\'s name: pick another.';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    return 'Use letters, digits, "_", "-" and "." (up to 64), starting with a letter or digit.';
  }
  return null;
}
