import { describe, expect, it } from 'vitest';
import { replayMark, replayOfHeader } from '../../src/core/replay-mark.js';

describe('the replay mark on the loopback leg', () => {
  it('reads back the record id the gateway marked', () => {
    expect(replayOfHeader(replayMark(42))).toBe(42);
  });

  it('refuses what a client could send: no header, a guessed secret, a bad id, several values', () => {
    const secret = replayMark(1).split('.')[1] ?? '';
    expect(replayOfHeader(undefined)).toBeNull();
    expect(replayOfHeader('42.guess')).toBeNull();
    expect(replayOfHeader(`42.${'x'.repeat(secret.length)}`)).toBeNull();
    expect(replayOfHeader(`0.${secret}`)).toBeNull();
    expect(replayOfHeader(`1.5.${secret}`)).toBeNull();
    expect(replayOfHeader([replayMark(42)])).toBeNull();
  });
});
