import type { Schema } from './schema-check';

/**
 * A form generated from a JSON Schema object (a tool's `inputSchema`, an elicitation's `requestedSchema`,
 * a prompt's or template's arguments). Each property becomes one field of a kind a form can express;
 * anything else (objects, arrays, unions) gets a JSON editor of its own.
 */
export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'multi' | 'json';

/** A choice: the value sent, and what the person reads (`oneOf` titles, legacy `enumNames`). */
export interface Choice {
  value: string;
  label: string;
}

export interface FormField {
  name: string;
  kind: FieldKind;
  title: string;
  description: string | null;
  required: boolean;
  options: Choice[];
  schema: Schema;
}

/** Field values as the inputs hold them: text, a checkbox, or the ticked choices of a multi-select. */
export type FormValues = Record<string, string | boolean | string[]>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The choices of a single-select enum (MCP spec "Elicitation", enum schemas), or null. */
function choicesOf(schema: Schema): Choice[] | null {
  if (Array.isArray(schema.enum) && schema.enum.every((e) => typeof e === 'string')) {
    const names = Array.isArray(schema.enumNames) ? schema.enumNames : [];
    return schema.enum.map((value, i) => ({ value, label: typeof names[i] === 'string' ? names[i] : value }));
  }
  const list = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : null;
  if (list?.every((o) => isSchema(o) && typeof o.const === 'string')) {
    return list.map((o) => {
      const { const: value, title } = o as { const: string; title?: unknown };
      return { value, label: typeof title === 'string' ? title : value };
    });
  }
  return null;
}

function kindOf(schema: Schema): { kind: FieldKind; options: Choice[] } {
  const choices = choicesOf(schema);
  if (choices) return { kind: 'enum', options: choices };
  const itemChoices = schema.type === 'array' && isSchema(schema.items) ? choicesOf(schema.items) : null;
  if (itemChoices) return { kind: 'multi', options: itemChoices };
  const type = schema.type;
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') {
    return { kind: type, options: [] };
  }
  return { kind: 'json', options: [] };
}

export function formFields(schema: Schema | undefined): FormField[] {
  const properties = schema && isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema?.required) ? schema.required : []);
  return Object.entries(properties).map(([name, raw]) => {
    const sub = isSchema(raw) ? raw : {};
    return {
      name,
      ...kindOf(sub),
      title: typeof sub.title === 'string' ? sub.title : name,
      description: typeof sub.description === 'string' ? sub.description : null,
      required: required.has(name),
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
    else if (field.kind === 'multi') values[field.name] = Array.isArray(fallback) ? fallback.map(String) : [];
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
    if (field.kind === 'multi') {
      const ticked = Array.isArray(raw) ? raw : [];
      if (ticked.length > 0) value[field.name] = ticked;
      else if (field.required) errors[field.name] = `Choose at least one ${field.title}.`;
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
    else if (field.kind === 'multi') values[field.name] = Array.isArray(item) ? item.map(String) : [];
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
