import { describe, expect, it } from 'vitest';
import { applySuggestion, type FieldInfo, suggest, termAt } from '../../ui/src/filter-suggest.js';

const FIELDS: FieldInfo[] = [
  { name: 'server', help: 'server name', values: ['everything', 'memory', 'github copilot'] },
  { name: 'session', help: 'session id' },
  { name: 'method', help: 'JSON-RPC method', values: ['tools/call', 'tools/list', 'resources/read'] },
  { name: 'duration', help: 'milliseconds' },
];

describe('filter autocomplete', () => {
  it('finds the term under the cursor, with its field, operator and negation', () => {
    expect(termAt('server:every', 12)).toMatchObject({
      field: 'server',
      operator: ':',
      partial: 'every',
      negated: false,
    });
    expect(termAt('method:tools/call -server:me', 28)).toMatchObject({
      start: 18,
      field: 'server',
      negated: true,
      partial: 'me',
    });
    expect(termAt('duration>=100', 13)).toMatchObject({ field: 'duration', operator: '>=', partial: '100' });
    expect(termAt('server:"github co', 17)).toMatchObject({ field: 'server', partial: 'github co' });
    expect(termAt('weather report', 14)).toMatchObject({ field: null, partial: 'report' });
  });

  it('offers field names for a bare word, and values after field:', () => {
    expect(suggest('se', 2, FIELDS).map((s) => s.label)).toEqual(['server:', 'session:']);
    expect(suggest('method:tools', 12, FIELDS).map((s) => s.label)).toEqual(['tools/call', 'tools/list']);
    expect(suggest('method:read', 11, FIELDS).map((s) => s.label)).toEqual(['resources/read']);
    expect(suggest('server:x', 8, FIELDS)).toEqual([]);
  });

  it('applies a choice in place, quoting values with spaces and keeping negation', () => {
    const [github] = suggest('-server:git', 11, FIELDS);
    expect(github && applySuggestion('-server:git', 11, github)).toEqual({
      text: '-server:"github copilot" ',
      cursor: 25,
    });
    const [method] = suggest('kind:error me tail', 13, FIELDS);
    expect(method && applySuggestion('kind:error me tail', 13, method)).toEqual({
      text: 'kind:error method: tail',
      cursor: 18,
    });
  });
});
