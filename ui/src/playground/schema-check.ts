/**
 * A small JSON Schema check for what tools declare (MCP spec "Tools", `outputSchema`): type, enum, const,
 * required, properties, additionalProperties, items, bounds, anyOf/oneOf/allOf. The page's Content Security
 * Policy forbids eval, so Ajv (which compiles schemas to functions) cannot run here. Keywords it does not
 * know ($ref, patterns, formats) are not checked rather than guessed; it says so.
 */
export type Schema = Record<string, unknown>;

const MAX_DEPTH = 32;
const MAX_ERRORS = 20;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = typeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(path: string): string {
  return path === '' ? 'the value' : path;
}

function check(schema: Schema, value: unknown, path: string, depth: number, errors: string[]): void {
  if (errors.length >= MAX_ERRORS || depth > MAX_DEPTH) return;
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 0 && !types.some((t) => typeof t === 'string' && typeMatches(t, value))) {
    errors.push(`${at(path)} is ${typeOf(value)}, expected ${types.join(' or ')}`);
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`${at(path)} is not one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
    errors.push(`${at(path)} must be ${JSON.stringify(schema.const)}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      errors.push(`${at(path)} is below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      errors.push(`${at(path)} is above ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      errors.push(`${at(path)} is shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
      errors.push(`${at(path)} is longer than ${schema.maxLength}`);
  }
  for (const key of ['allOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list))
      for (const sub of list) if (isSchema(sub)) check(sub, value, path, depth + 1, errors);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    const passing = list.filter((sub) => isSchema(sub) && checkSchema(sub, value, depth + 1).length === 0);
    if (passing.length === 0) errors.push(`${at(path)} matches none of the ${key} choices`);
  }
  if (Array.isArray(value) && isSchema(schema.items)) {
    for (const [i, item] of value.entries()) check(schema.items, item, `${path}/${i}`, depth + 1, errors);
  }
  if (isSchema(value) && !Array.isArray(value)) {
    const properties = isSchema(schema.properties) ? schema.properties : {};
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        if (typeof name === 'string' && !(name in value))
          errors.push(`${path}/${name} is required but missing`);
      }
    }
    for (const [name, item] of Object.entries(value)) {
      const sub = properties[name];
      if (isSchema(sub)) check(sub, item, `${path}/${name}`, depth + 1, errors);
      else if (schema.additionalProperties === false) errors.push(`${path}/${name} is not allowed`);
      else if (isSchema(schema.additionalProperties))
        check(schema.additionalProperties, item, `${path}/${name}`, depth + 1, errors);
    }
  }
}

/** What in `value` breaks `schema`, as "/path is …" lines (JSON Pointers); empty when it matches. */
export function checkSchema(schema: Schema, value: unknown, depth = 0): string[] {
  const errors: string[] = [];
  check(schema, value, '', depth, errors);
  return errors;
}

/** True when the schema uses keywords the check above leaves out, so a match is only a partial one. */
export function partlyChecked(schema: unknown): boolean {
  return /"(\$ref|pattern|patternProperties|format|if|not|dependentSchemas)"\s*:/.test(
    JSON.stringify(schema) ?? '',
  );
}
