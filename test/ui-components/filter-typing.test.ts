import { describe, expect, it } from 'vitest';
import { checkFilter, stillTyping } from '../../ui/src/filter-check.js';

/** Whether the filter bar waits before calling `text` wrong, with the cursor at `cursor` (the end by default). */
function waits(text: string, cursor = text.length): boolean {
  const problem = checkFilter(text);
  if (!problem) throw new Error(`${text} is not wrong`);
  return stillTyping(text, cursor, problem);
}

describe('a filter term still being typed', () => {
  it('is not a mistake yet: a field before its value, an open quote, a value on its way', () => {
    expect(waits('server:')).toBe(true);
    expect(waits('method:tools/call server:')).toBe(true);
    expect(waits('"free text')).toBe(true);
    expect(waits('server:"my serv')).toBe(true);
    expect(waits('has:err')).toBe(true);
  });

  it('is a mistake once the user moved on: a space after it, the cursor elsewhere, or an earlier term', () => {
    expect(waits('server: ')).toBe(false);
    expect(waits('has:err', 3)).toBe(false);
    expect(waits('methd:tools/call server:sdk')).toBe(false);
  });
});
