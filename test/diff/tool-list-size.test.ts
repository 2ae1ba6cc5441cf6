import { describe, expect, it } from 'vitest';
import { diffToolLists, MAX_CHANGE_BYTES, type ToolDefinition, toolsOf } from '../../src/diff/tool-list.js';

/** A tool list as read from a tools/list answer (JSON); with `added`, a second tool described by it. */
function list(added?: string): ToolDefinition[] {
  const tools: unknown[] = [{ name: 'fetch', description: 'Fetches a URL', inputSchema: { type: 'object' } }];
  if (added !== undefined) {
    tools.push({
      name: 'search',
      description: added,
      inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
    });
  }
  return toolsOf(JSON.parse(JSON.stringify({ tools }))) as ToolDefinition[];
}

const before = list();
const diff = (description: string) => diffToolLists(before, list(description));
const bytes = (description: string) => Buffer.byteLength(JSON.stringify(diff(description).drifts));

describe('a tool-list change at the size limit', () => {
  // An added tool's description is in the change once, so a description of the right length makes the
  // change exactly MAX_CHANGE_BYTES long in UTF-8 (two-byte characters filled up with ASCII).
  for (const [label, char] of [
    ['ASCII', 'a'],
    ['two-byte characters', 'é'],
  ] as const) {
    it(`keeps whole definitions at exactly MAX_CHANGE_BYTES, and cuts them one byte past (${label})`, () => {
      const room = MAX_CHANGE_BYTES - bytes('');
      const wide = Buffer.byteLength(char);
      const exact = char.repeat(Math.floor(room / wide)) + 'a'.repeat(room % wide);
      const atLimit = diff(exact);
      expect(Buffer.byteLength(JSON.stringify(atLimit.drifts))).toBe(MAX_CHANGE_BYTES);
      expect(atLimit.truncated).toBe(false);
      expect(atLimit.drifts[0]).toMatchObject({ name: 'search', kind: 'added' });
      expect(atLimit.drifts[0]?.after?.description).toBe(exact);

      const past = diff(`${exact}a`);
      expect(past.truncated).toBe(true);
      expect(past.drifts[0]).not.toHaveProperty('after');
      expect(Buffer.byteLength(JSON.stringify(past.drifts))).toBeLessThanOrEqual(MAX_CHANGE_BYTES);
    });
  }
});
