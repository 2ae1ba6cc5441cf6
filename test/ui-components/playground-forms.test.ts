import { describe, expect, it } from 'vitest';
import { buildValue, formFields, initialValues, valuesFrom } from '../../ui/src/playground/form-model.js';
import { checkSchema, partlyChecked } from '../../ui/src/playground/schema-check.js';
import { expandTemplate, templateVariables } from '../../ui/src/playground/uri-template.js';

const schema = {
  type: 'object',
  properties: {
    message: { type: 'string', description: 'Message to echo' },
    count: { type: 'integer', default: 3 },
    ratio: { type: 'number' },
    loud: { type: 'boolean' },
    city: { type: 'string', enum: ['Lisbon', 'Porto'] },
    hero: { type: 'string', oneOf: [{ const: 'h1', title: 'Superman' }] },
    pet: { type: 'string', enum: ['p1'], enumNames: ['Cats'] },
    fish: {
      type: 'array',
      items: {
        anyOf: [
          { const: 'f1', title: 'Tuna' },
          { const: 'f2', title: 'Trout' },
        ],
      },
    },
    extra: { type: 'object' },
  },
  required: ['message', 'count'],
};

describe('playground forms from a JSON Schema', () => {
  it('gives each property the field a form can express, and a JSON editor for the rest', () => {
    const fields = formFields(schema);
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['message', 'string', true],
      ['count', 'integer', true],
      ['ratio', 'number', false],
      ['loud', 'boolean', false],
      ['city', 'enum', false],
      ['hero', 'enum', false],
      ['pet', 'enum', false],
      ['fish', 'multi', false],
      ['extra', 'json', false],
    ]);
    expect(fields.find((f) => f.name === 'hero')?.options).toEqual([{ value: 'h1', label: 'Superman' }]);
    expect(fields.find((f) => f.name === 'pet')?.options).toEqual([{ value: 'p1', label: 'Cats' }]);
    expect(fields[0]?.description).toBe('Message to echo');
  });

  it('builds typed arguments, leaves out empty optional fields, and says what is wrong with bad ones', () => {
    const fields = formFields(schema);
    const values = { ...initialValues(fields), message: 'hi', ratio: '0.5', fish: ['f2'], extra: '{"a":1}' };
    expect(buildValue(fields, values)).toEqual({
      ok: true,
      value: { message: 'hi', count: 3, ratio: 0.5, loud: false, fish: ['f2'], extra: { a: 1 } },
    });
    const bad = buildValue(fields, { ...values, message: '', count: '2.5', extra: '{' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.message).toBe('message is required.');
      expect(bad.errors.count).toBe('count must be a whole number.');
      expect(bad.errors.extra).toMatch(/^extra is not valid JSON/);
    }
  });

  it('fills the form back from raw JSON', () => {
    const fields = formFields(schema);
    const values = valuesFrom(fields, { message: 'x', count: 7, loud: true, extra: [1] });
    expect(values).toMatchObject({
      message: 'x',
      count: '7',
      loud: true,
      city: '',
      fish: [],
      extra: '[\n  1\n]',
    });
  });
});

describe('structuredContent against an outputSchema', () => {
  const output = {
    type: 'object',
    properties: { temperature: { type: 'number' }, conditions: { type: 'string', enum: ['sunny', 'rain'] } },
    required: ['temperature', 'conditions'],
    additionalProperties: false,
  };
  it('passes a value that matches', () => {
    expect(checkSchema(output, { temperature: 21, conditions: 'sunny' })).toEqual([]);
  });
  it('names each mismatch by its JSON Pointer', () => {
    expect(checkSchema(output, { temperature: 'warm', extra: 1 })).toEqual([
      '/conditions is required but missing',
      '/temperature is string, expected number',
      '/extra is not allowed',
    ]);
  });
  it('says when a schema uses keywords it does not check', () => {
    expect(partlyChecked({ type: 'string', pattern: '^a' })).toBe(true);
    expect(partlyChecked(output)).toBe(false);
  });
});

describe('resource templates (RFC 6570)', () => {
  it('finds the variables and expands them, encoded', () => {
    expect(templateVariables('demo://resource/dynamic/text/{resourceId}')).toEqual(['resourceId']);
    expect(templateVariables('file:///{+path}{?q,limit}')).toEqual(['path', 'q', 'limit']);
    expect(expandTemplate('demo://r/{id}', { id: 'a b/c' })).toBe('demo://r/a%20b%2Fc');
    expect(expandTemplate('file:///{+path}{?q,limit}', { path: 'a/b c', q: 'x&y' })).toBe(
      'file:///a/b%20c?q=x%26y',
    );
  });
});
