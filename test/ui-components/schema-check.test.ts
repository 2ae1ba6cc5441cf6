import { describe, expect, it } from 'vitest';
import { checkAgainstSchema } from '../../ui/src/schema-check';

/** server-memory's create_entities, as it lists it. */
const CREATE_ENTITIES = {
  type: 'object',
  properties: {
    entities: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          entityType: { type: 'string' },
          observations: { type: 'array', items: { type: 'string' } },
        },
        required: ['name', 'entityType', 'observations'],
        additionalProperties: false,
      },
    },
  },
  required: ['entities'],
};

describe('checking tool arguments against the listed inputSchema', () => {
  it('accepts arguments that conform', () => {
    expect(
      checkAgainstSchema(
        { entities: [{ name: 'Ada', entityType: 'person', observations: [] }] },
        CREATE_ENTITIES,
      ),
    ).toEqual([]);
  });

  it('says where each problem is, as a JSON Pointer', () => {
    expect(
      checkAgainstSchema(
        { entities: [{ name: 7, entityType: 'person', observations: ['x', 2], nick: 'A' }] },
        CREATE_ENTITIES,
      ),
    ).toEqual([
      { path: '/entities/0/name', message: 'must be string, not integer' },
      { path: '/entities/0/observations/1', message: 'must be string, not integer' },
      { path: '/entities/0/nick', message: '"nick" is not a parameter of this tool' },
    ]);
    expect(checkAgainstSchema({}, CREATE_ENTITIES)).toEqual([
      { path: '/entities', message: '"entities" is required' },
    ]);
  });

  it('follows enums, bounds, local $refs and anyOf', () => {
    const schema = {
      $defs: { level: { enum: ['low', 'high'] } },
      type: 'object',
      properties: {
        level: { $ref: '#/$defs/level' },
        count: { type: 'integer', minimum: 1, maximum: 10 },
        id: { anyOf: [{ type: 'string', pattern: '^[a-z]+$' }, { type: 'number' }] },
      },
    };
    expect(checkAgainstSchema({ level: 'mid', count: 11, id: 'ABC' }, schema)).toEqual([
      { path: '/level', message: 'must be one of "low", "high"' },
      { path: '/count', message: 'must be ≤ 10' },
      { path: '/id', message: 'must match at least one of 2 allowed shapes' },
    ]);
    expect(checkAgainstSchema({ count: 1.5 }, schema)).toEqual([
      { path: '/count', message: 'must be integer, not number' },
    ]);
  });
});
