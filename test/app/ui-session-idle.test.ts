import { describe, expect, it } from 'vitest';
import { UiSessions } from '../../src/app/ui-session.js';
import type { Identity } from '../../src/auth/identity.js';

const user: Identity = {
  actor: 'alice@example.com',
  kind: 'user',
  role: 'viewer',
  servers: null,
  expiresAt: null,
};

describe('web UI sessions', () => {
  it('end after the idle period without use, and each use starts it anew', () => {
    let now = 0;
    const sessions = new UiSessions({ idleMs: 1000, now: () => now });
    const id = sessions.create(user);
    now = 900;
    expect(sessions.identity(id)).toEqual(user);
    now = 1800; // 900 ms after the last use
    expect(sessions.identity(id)).toEqual(user);
    now = 2800; // a full second unused
    expect(sessions.identity(id)).toBeUndefined();
    // Ended for good: the CSRF token goes with it.
    now = 2801;
    expect(sessions.identity(id)).toBeUndefined();
    expect(sessions.csrfToken(id)).toBeUndefined();
  });

  it("end when the identity's right ends, however much they are used", () => {
    let now = 0;
    const sessions = new UiSessions({ idleMs: 60_000, now: () => now });
    const id = sessions.create({ ...user, expiresAt: 5000 });
    for (const at of [1000, 2000, 3000, 4000]) {
      now = at;
      expect(sessions.identity(id)?.actor).toBe('alice@example.com');
    }
    now = 5000;
    expect(sessions.identity(id)).toBeUndefined();
  });
});
