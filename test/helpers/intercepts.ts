import { expect } from 'vitest';
import type { TestGateway } from './gateway.js';

/** A message a breakpoint holds, as `GET /api/intercepts/held` lists it. */
export interface Held {
  id: number;
  server: string;
  direction: string;
  kind: string;
  method: string | null;
  message: Record<string, unknown>;
}

/** Breakpoints driven through the REST API, as a script would: rules set, held messages waited for and released. */
export function intercepts(gw: () => TestGateway) {
  const json = async (response: Response): Promise<{ status: number; body: unknown }> => ({
    status: response.status,
    body: await response.json(),
  });
  return {
    async addRule(rule: Record<string, unknown>): Promise<string> {
      const { status, body } = await json(
        await gw().api('/api/intercepts', { method: 'POST', body: JSON.stringify(rule) }),
      );
      expect(status, JSON.stringify(body)).toBe(201);
      return (body as { id: string }).id;
    },
    async removeAllRules(): Promise<void> {
      const { body } = await json(await gw().api('/api/intercepts'));
      for (const rule of (body as { rules: { id: string }[] }).rules) {
        await gw().api(`/api/intercepts/${rule.id}`, { method: 'DELETE' });
      }
    },
    /** Waits until a breakpoint holds a message (of `server`, when given). */
    async held(server?: string): Promise<Held> {
      for (let i = 0; i < 400; i++) {
        const { body } = await json(await gw().api('/api/intercepts/held'));
        const found = (body as { held: Held[] }).held.find(
          (h) => server === undefined || h.server === server,
        );
        if (found) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`nothing${server ? ` of ${server}` : ''} was held`);
    },
    release: (id: number, action: string, body?: unknown) =>
      gw().api(`/api/intercepts/held/${id}/${action}`, {
        method: 'POST',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}
