import { type FieldTerm, type Filter, OPERATOR_SPELLING, type Operator, type Term } from './ast.js';
import { FilterError, ValueProblem } from './errors.js';
import type { FieldSpec } from './field-kinds.js';
import { allFieldSpellings, fieldNames, findField } from './fields.js';
import { closest } from './suggest.js';
import { FIELD_NAME, Reader } from './tokenizer.js';

/**
 * The filter language, read left to right:
 *   term    := ["-" | "!" | "NOT "] (field op values | "quoted text" | word)
 *   op      := ":" | "~" | "=" | "!=" | ">" | ">=" | "<" | "<="   (also ":>" and friends, GitHub style)
 *   values  := value ("," value)*        value := "quoted" | bare text up to a space or comma
 * Terms are ANDed; the values of one term are ORed, and so are terms of one field joined by OR.
 * Anything that is not a field term is free text, searched as given: it never reaches SQL or FTS as syntax.
 */

function valueError(field: FieldSpec, problem: unknown, position: number, length: number): FilterError {
  if (problem instanceof ValueProblem) {
    return new FilterError(`${field.name}: ${problem.message}`, position, length, problem.suggestion);
  }
  throw problem;
}

function readFieldTerm(
  reader: Reader,
  field: FieldSpec,
  op: Operator,
  start: number,
  negated: boolean,
): FieldTerm {
  if (!field.operators.includes(op)) {
    const allowed = field.operators.map((o) => `"${OPERATOR_SPELLING[o]}"`).join(', ');
    throw new FilterError(
      `${field.name} cannot use "${OPERATOR_SPELLING[op]}": use ${allowed} (for example ${field.examples[0]})`,
      start,
      reader.pos - start,
    );
  }
  const values: unknown[] = [];
  const raw: string[] = [];
  for (;;) {
    const at = reader.pos;
    const value = reader.char === '"' ? reader.readQuoted() : reader.readBare(true);
    if (value === '' && reader.text[at] !== '"') {
      throw new FilterError(
        `${field.name}${OPERATOR_SPELLING[op]} needs a value, for example ${field.examples[0]}`,
        at,
      );
    }
    try {
      values.push(field.parse(value, op));
    } catch (problem) {
      throw valueError(field, problem, at, reader.pos - at);
    }
    raw.push(value);
    if (reader.char !== ',') break;
    reader.pos++;
  }
  if (!reader.done && !/\s/.test(reader.char)) {
    throw new FilterError(
      `unexpected "${reader.char}" after ${field.name}'s value: put values with spaces or quotes in "double quotes"`,
      reader.pos,
    );
  }
  return { type: 'field', field: field.name, op, values, raw, negated, position: start };
}

function unknownField(name: string, op: Operator, start: number): FilterError | null {
  const guess = closest(name, allFieldSpellings());
  if (guess) {
    return new FilterError(`unknown field "${name}": did you mean "${guess}"?`, start, name.length, guess);
  }
  // "word:rest" with an unknown word is text (a URL, "Error: x"); other operators are surely meant as fields.
  if (op === 'is') return null;
  return new FilterError(
    `unknown field "${name}" (fields: ${fieldNames().join(', ')}); to search for this text, put it in "double quotes"`,
    start,
    name.length,
  );
}

function readTerm(reader: Reader, negated: boolean): Term {
  const start = reader.pos;
  if (reader.char === '"') {
    const text = reader.readQuoted();
    return { type: 'text', text, quoted: true, prefix: false, negated, position: start };
  }
  FIELD_NAME.lastIndex = reader.pos;
  const name = FIELD_NAME.exec(reader.text)?.[0];
  if (name) {
    reader.pos += name.length;
    const op = reader.readOperator();
    // "scheme://..." is a URL or URI to search for, whatever the scheme is called.
    if (op && !(op === 'is' && reader.text.startsWith('//', reader.pos))) {
      const field = findField(name);
      if (field) return readFieldTerm(reader, field, op, start, negated);
      const error = unknownField(name, op, start);
      if (error) throw error;
    }
    reader.pos = start;
  }
  const word = reader.readBare(false);
  const prefix = word.length > 1 && word.endsWith('*');
  return {
    type: 'text',
    text: prefix ? word.slice(0, -1) : word,
    quoted: false,
    prefix,
    negated,
    position: start,
  };
}

/** Joins `a OR b` of the same field into one term with both values. */
function mergeOr(previous: Term | undefined, next: Term, orPosition: number): void {
  if (
    previous?.type !== 'field' ||
    next.type !== 'field' ||
    previous.field !== next.field ||
    previous.op !== next.op ||
    previous.negated ||
    next.negated
  ) {
    throw new FilterError(
      'OR joins values of one field (method:a OR method:b, or method:a,b); different fields are always combined with AND',
      orPosition,
      2,
    );
  }
  previous.values.push(...next.values);
  previous.raw.push(...next.raw);
}

/** Parses a filter; throws FilterError with the position of the problem and, where possible, a suggestion. */
export function parseFilter(text: string): Filter {
  const reader = new Reader(text);
  const terms: Term[] = [];
  let negateNext = false;
  let orAt: number | null = null;
  for (;;) {
    reader.skipSpace();
    if (reader.done) break;
    const word = reader.peekWord();
    if (word === 'AND' || word === 'OR' || word === 'NOT') {
      if (word === 'OR') {
        if (terms.length === 0 || orAt !== null)
          throw new FilterError('OR needs a term on each side', reader.pos, 2);
        orAt = reader.pos;
      }
      if (word === 'NOT') negateNext = !negateNext;
      reader.pos += word.length;
      continue;
    }
    let negated = negateNext;
    negateNext = false;
    if ((reader.char === '-' || reader.char === '!') && /\S/.test(reader.text[reader.pos + 1] ?? ' ')) {
      negated = !negated;
      reader.pos++;
    }
    const term = readTerm(reader, negated);
    if (orAt !== null) {
      mergeOr(terms[terms.length - 1], term, orAt);
      orAt = null;
    } else {
      terms.push(term);
    }
  }
  if (orAt !== null) throw new FilterError('OR needs a term on each side', orAt, 2);
  if (negateNext) throw new FilterError('NOT needs a term after it', text.trimEnd().length - 3, 3);
  return { terms };
}
