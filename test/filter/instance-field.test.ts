import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/filter/parser.js';
import { compileFilter } from '../../src/filter/sql.js';
import { makeRecord, openTestStore } from '../helpers/records.js';

/** On the embedded store every record is this gateway's: `instance:` compares the gateway's own name. */
describe('instance: on a store of one instance', () => {
  const count = (text: string, instance?: string) => {
    const t = openTestStore();
    try {
      t.write([makeRecord(), makeRecord()]);
      const where = compileFilter(parseFilter(text), { now: Date.now(), instance }).where;
      const sql = `SELECT count(*) AS n FROM records r${where ? ` WHERE ${where.sql}` : ''}`;
      return (t.db.prepare(sql).get(...(where?.params ?? [])) as { n: number }).n;
    } finally {
      t.close();
    }
  };

  it.each([
    ['instance:laptop-1', 2],
    ['instance:laptop-*', 2],
    ['instance~LAPTOP', 2],
    ['instance:ci-1', 0],
    ['-instance:ci-*', 2],
  ])('%s finds %i records of the gateway named laptop-1', (text, expected) => {
    expect(count(text, 'laptop-1')).toBe(expected);
  });

  it('a name with a quote is the name, not SQL', () => {
    expect(count('instance:"o\'brien"', "o'brien")).toBe(2);
  });

  it('without a name, instance:x finds nothing and -instance:x everything', () => {
    expect(count('instance:laptop-1')).toBe(0);
    expect(count('-instance:laptop-1')).toBe(2);
  });
});
