import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPERATOR_SPELLING } from '../../src/filter/ast.js';
import { FIELDS } from '../../src/filter/fields.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function section(title: string): string {
  const start = readme.indexOf(`## ${title}`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The README is where users learn the language: it must not fall behind the field table. */
describe('the README documents the filter language', () => {
  const docs = section('Finding traffic: the filter language');

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
