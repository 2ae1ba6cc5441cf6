import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPERATOR_SPELLING } from '../../src/filter/ast.js';
import { FIELDS } from '../../src/filter/fields.js';

const docs = readFileSync(new URL('../../docs/filter-language.md', import.meta.url), 'utf8');

/** docs/filter-language.md is where users learn the language: it must not fall behind the field table. */
describe('the filter language page documents', () => {
  it.each(FIELDS.map((field) => [field.name, field.aliases] as const))(
    'documents field %s and its aliases',
    (name, aliases) => {
      expect(docs).toContain(`| \`${name}\``);
      for (const alias of aliases) expect(docs).toContain(`\`${alias}\``);
    },
  );

  it('documents every operator', () => {
    for (const spelling of Object.values(OPERATOR_SPELLING)) expect(docs).toContain(`\`${spelling}\``);
  });
});
