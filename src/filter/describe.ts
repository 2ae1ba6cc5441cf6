import { OPERATOR_SPELLING, type Operator } from './ast.js';
import type { ValueSource } from './field-kinds.js';
import { FIELDS } from './fields.js';

/**
 * The filter language described as data: what `GET /api/filter/fields` serves to the web UI for
 * autocomplete and help, and what the management MCP server quotes to agents. Pure, no I/O.
 */

export interface FieldDescription {
  name: string;
  aliases: readonly string[];
  help: string;
  examples: readonly string[];
  /** Operators as typed: ":", "~", "=", "!=", ">", ">=", "<", "<=". */
  operators: string[];
  /** The closed set of values, for fields such as kind and direction. */
  values: readonly string[] | null;
  /** For open-ended fields, where to fetch values: GET /api/filter/values?field=<name>. */
  valuesFrom: ValueSource | null;
}

export interface OperatorDescription {
  operator: string;
  name: Operator;
  help: string;
}

export interface FilterLanguageDescription {
  fields: FieldDescription[];
  operators: OperatorDescription[];
  syntax: string[];
}

const OPERATOR_HELP: Readonly<Record<Operator, string>> = {
  is: 'is: equal to the value; for text, * is a wildcard (method:tools/*)',
  contains: 'contains: the text appears anywhere, ignoring case (error~timeout)',
  '=': 'equal to the value exactly',
  '!=': 'not equal to the value',
  '>': 'greater than',
  '>=': 'greater than or equal to',
  '<': 'less than',
  '<=': 'less than or equal to',
};

export const SYNTAX_NOTES: readonly string[] = [
  'Terms separated by spaces must all match (AND): server:github method:tools/call',
  'Values of one field separated by commas match any (OR): method:tools/call,tools/list; or method:a OR method:b',
  'A leading - (or !, or NOT) negates a term: -method:ping, NOT kind:notification',
  'Values with spaces go in double quotes: error:"Unknown tool: x"',
  'Anything else is free text, searched in methods, summaries, message contents and error messages; every word must appear. Put a phrase in double quotes; end a word with * to match it as a prefix (weath*). Punctuation is ignored: tools/call finds "tools/call".',
];

export function describeFilterLanguage(): FilterLanguageDescription {
  return {
    fields: FIELDS.map((field) => ({
      name: field.name,
      aliases: field.aliases,
      help: field.help,
      examples: field.examples,
      operators: field.operators.map((op) => OPERATOR_SPELLING[op]),
      values: field.values ?? null,
      valuesFrom: field.valuesFrom ?? null,
    })),
    operators: (Object.keys(OPERATOR_SPELLING) as Operator[]).map((name) => ({
      operator: OPERATOR_SPELLING[name],
      name,
      help: OPERATOR_HELP[name],
    })),
    syntax: [...SYNTAX_NOTES],
  };
}
