/**
 * A small JSON Schema checker for the arguments of a tool call, against the tool's `inputSchema` as its
 * server listed it (MCP "Tools": a JSON Schema object). It covers what tool schemas use (type, properties,
 * required, additionalProperties, items, enum, const, bounds, pattern, anyOf/oneOf/allOf, local $ref) and
 * says where each problem is as a JSON Pointer. A validator that compiles schemas to code (ajv) cannot run
 * under the UI's Content-Security-Policy, which forbids eval.
 */

export interface SchemaProblem {
  /** JSON Pointer into the checked value ("" is the value itself). */
  path: string;
  message: string;
}

type Schema = Record<string, unknown>;

const MAX_PROBLEMS = 50;
const MAX_DEPTH = 64;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

const asSchema = (value: unknown): Schema | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : null;

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every problem of `value` against `schema` (at most 50), or [] when it conforms. */
export function checkAgainstSchema(value: unknown, schema: unknown): SchemaProblem[] {
  const root = asSchema(schema);
  const problems: SchemaProblem[] = [];
  if (!root) return problems;
  const resolve = (ref: string): Schema | null => {
    if (!ref.startsWith('#')) return null;
    let node: unknown = root;
    for (const part of ref.slice(1).split('/').filter(Boolean)) {
      node = asSchema(node)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
    }
    return asSchema(node);
  };
  const check = (at: unknown, s: Schema, path: string, depth: number, out: SchemaProblem[]) => {
    if (out.length >= MAX_PROBLEMS || depth > MAX_DEPTH) return;
    const add = (message: string, where = path) => out.push({ path: where, message });
    if (typeof s.$ref === 'string') {
      const target = resolve(s.$ref);
      if (target) check(at, target, path, depth + 1, out);
    }
    const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : null;
    if (types && !types.some((t) => matchesType(at, t))) {
      add(`must be ${types.join(' or ')}, not ${typeOf(at)}`);
      return;
    }
    if (Array.isArray(s.enum) && !s.enum.some((option) => equal(option, at))) {
      add(`must be one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`);
    }
    if ('const' in s && !equal(s.const, at)) add(`must be ${JSON.stringify(s.const)}`);
    if (typeof at === 'string') {
      if (typeof s.minLength === 'number' && at.length < s.minLength)
        add(`must have at least ${s.minLength} characters`);
      if (typeof s.maxLength === 'number' && at.length > s.maxLength)
        add(`must have at most ${s.maxLength} characters`);
      if (typeof s.pattern === 'string') {
        try {
          if (!new RegExp(s.pattern, 'u').test(at)) add(`must match the pattern ${s.pattern}`);
        } catch {
          // A pattern this browser cannot read is not the edit's fault.
        }
      }
    }
    if (typeof at === 'number') {
      if (typeof s.minimum === 'number' && at < s.minimum) add(`must be ≥ ${s.minimum}`);
      if (typeof s.maximum === 'number' && at > s.maximum) add(`must be ≤ ${s.maximum}`);
      if (typeof s.exclusiveMinimum === 'number' && at <= s.exclusiveMinimum)
        add(`must be > ${s.exclusiveMinimum}`);
      if (typeof s.exclusiveMaximum === 'number' && at >= s.exclusiveMaximum)
        add(`must be < ${s.exclusiveMaximum}`);
    }
    if (Array.isArray(at)) {
      if (typeof s.minItems === 'number' && at.length < s.minItems)
        add(`must have at least ${s.minItems} item(s)`);
      if (typeof s.maxItems === 'number' && at.length > s.maxItems)
        add(`must have at most ${s.maxItems} item(s)`);
      const items = asSchema(s.items);
      if (items) {
        for (const [i, item] of at.entries()) check(item, items, pointer(path, i), depth + 1, out);
      }
    }
    if (typeOf(at) === 'object') {
      const object = at as Record<string, unknown>;
      const properties = asSchema(s.properties) ?? {};
      for (const name of Array.isArray(s.required) ? (s.required as string[]) : []) {
        if (!Object.hasOwn(object, name)) add(`"${name}" is required`, pointer(path, name));
      }
      for (const [name, child] of Object.entries(object)) {
        const property = asSchema(properties[name]);
        if (property) check(child, property, pointer(path, name), depth + 1, out);
        else if (s.additionalProperties === false)
          add(`"${name}" is not a parameter of this tool`, pointer(path, name));
        else if (asSchema(s.additionalProperties)) {
          check(child, s.additionalProperties as Schema, pointer(path, name), depth + 1, out);
        }
      }
    }
    for (const sub of Array.isArray(s.allOf) ? s.allOf : []) {
      const schema = asSchema(sub);
      if (schema) check(at, schema, path, depth + 1, out);
    }
    for (const key of ['anyOf', 'oneOf'] as const) {
      const options = (Array.isArray(s[key]) ? (s[key] as unknown[]) : [])
        .map(asSchema)
        .filter(Boolean) as Schema[];
      if (options.length === 0) continue;
      const passing = options.filter((option) => {
        const trial: SchemaProblem[] = [];
        check(at, option, path, depth + 1, trial);
        return trial.length === 0;
      }).length;
      if (passing === 0)
        add(
          `must match ${key === 'anyOf' ? 'at least one' : 'exactly one'} of ${options.length} allowed shapes`,
        );
      else if (key === 'oneOf' && passing > 1)
        add(`matches ${passing} of the allowed shapes; it must match exactly one`);
    }
  };
  check(value, root, '', 0, problems);
  return problems.slice(0, MAX_PROBLEMS);
}
