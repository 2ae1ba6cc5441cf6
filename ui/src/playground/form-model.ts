import type { Schema } from './schema-check';

/**
 * A form generated from a JSON Schema object (a tool's `inputSchema`, an elicitation's `requestedSchema`,
 * a prompt's or template's arguments). Each property becomes one field of a kind a form can express;
 * anything else (objects, arrays, unions) gets a JSON editor of its own.
 */
export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

export interface FormField {
  name: string;
  kind: FieldKind;
  title: string;
  description: string | null;
  required: boolean;
  options: string[];
  schema: Schema;
}

/** Field values as the inputs hold them: text for everything but checkboxes. */
export type FormValues = Record<string, string | boolean>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(schema: Schema): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.every((e) => typeof e === 'string')) return 'enum';
  if (Array.isArray(schema.oneOf) && schema.oneOf.every((o) => isSchema(o) && typeof o.const === 'string'))
    return 'enum';
  const type = schema.type;
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') return type;
  return 'json';
}

function optionsOf(schema: Schema): string[] {
  if (Array.isArray(schema.enum)) return schema.enum.map(String);
  if (Array.isArray(schema.oneOf)) return schema.oneOf.map((o) => String((o as Schema).const));
  return [];
}

export function formFields(schema: Schema | undefined): FormField[] {
  const properties = schema && isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema?.required) ? schema.required : []);
  return Object.entries(properties).map(([name, raw]) => {
    const sub = isSchema(raw) ? raw : {};
    return {
      name,
      kind: kindOf(sub),
      title: typeof sub.title === 'string' ? sub.title : name,
      description: typeof sub.description === 'string' ? sub.description : null,
      required: required.has(name),
      options: optionsOf(sub),
      schema: sub,
    };
  });
}

/** Starting values: each field's `default` where the schema gives one. */
export function initialValues(fields: FormField[]): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const fallback = field.schema.default;
    if (field.kind === 'boolean') values[field.name] = fallback === true;
    else if (fallback === undefined) values[field.name] = '';
    else values[field.name] = field.kind === 'json' ? JSON.stringify(fallback, null, 2) : String(fallback);
  }
  return values;
}

export type Built =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; errors: Record<string, string> };

/** The arguments object from the fields; empty optional fields are left out; each bad field says why. */
export function buildValue(fields: FormField[], values: FormValues): Built {
  const value: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (field.kind === 'boolean') {
      value[field.name] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw : '';
    if (text.trim() === '' && field.kind !== 'string') {
      if (field.required) errors[field.name] = `${field.title} is required.`;
      continue;
    }
    if (text === '' && field.kind === 'string') {
      if (field.required) errors[field.name] = `${field.title} is required.`;
      continue;
    }
    if (field.kind === 'number' || field.kind === 'integer') {
      const number = Number(text);
      if (!Number.isFinite(number)) errors[field.name] = `${field.title} must be a number.`;
      else if (field.kind === 'integer' && !Number.isInteger(number))
        errors[field.name] = `${field.title} must be a whole number.`;
      else value[field.name] = number;
    } else if (field.kind === 'json') {
      try {
        value[field.name] = JSON.parse(text);
      } catch (error) {
        errors[field.name] = `${field.title} is not valid JSON: ${(error as Error).message}`;
      }
    } else {
      value[field.name] = text;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

/** Field values from an arguments object (raw JSON back to the form); fields it lacks are emptied. */
export function valuesFrom(fields: FormField[], value: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const item = value[field.name];
    if (field.kind === 'boolean') values[field.name] = item === true;
    else if (item === undefined) values[field.name] = '';
    else if (field.kind === 'json') values[field.name] = JSON.stringify(item, null, 2);
    else values[field.name] = String(item);
  }
  return values;
}

/** A schema of string arguments (prompts, URI template variables), for the same form. */
export function stringArguments(args: { name: string; description?: string; required?: boolean }[]): Schema {
  return {
    type: 'object',
    properties: Object.fromEntries(
      args.map((a) => [a.name, { type: 'string', ...(a.description ? { description: a.description } : {}) }]),
    ),
    required: args.filter((a) => a.required).map((a) => a.name),
  };
}
