import type { Operator } from './ast.js';
import { FilterError } from './errors.js';

/**
 * The filter text as a stream of characters with a position: words, quoted strings and operators are read
 * from it, and every error can say where it happened.
 */

const OPERATORS: readonly [string, Operator][] = [
  ['!=', '!='],
  ['>=', '>='],
  ['<=', '<='],
  [':', 'is'],
  ['~', 'contains'],
  ['=', '='],
  ['>', '>'],
  ['<', '<'],
];
/** A field name: what may stand before an operator. */
export const FIELD_NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;

export class Reader {
  readonly text: string;
  pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  get char(): string {
    return this.text[this.pos] ?? '';
  }

  skipSpace(): void {
    while (!this.done && /\s/.test(this.char)) this.pos++;
  }

  /** The run of non-space characters from here, without consuming it. */
  peekWord(): string {
    const match = /\S*/y;
    match.lastIndex = this.pos;
    return match.exec(this.text)?.[0] ?? '';
  }

  readBare(stopAtComma: boolean): string {
    const start = this.pos;
    while (!this.done && !/\s/.test(this.char) && !(stopAtComma && this.char === ',')) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A double-quoted string; `\"` and `\\` are escapes. */
  readQuoted(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    while (!this.done) {
      const c = this.char;
      if (c === '\\' && this.pos + 1 < this.text.length) {
        out += this.text[this.pos + 1];
        this.pos += 2;
      } else if (c === '"') {
        this.pos++;
        return out;
      } else {
        out += c;
        this.pos++;
      }
    }
    throw new FilterError(`unterminated quote: add a closing " to the text starting at ${start + 1}`, start);
  }

  readOperator(): Operator | null {
    for (const [spelling, op] of OPERATORS) {
      if (this.text.startsWith(spelling, this.pos)) {
        this.pos += spelling.length;
        // GitHub-style "duration:>500" means "duration>500".
        if (op === 'is') {
          for (const [inner, innerOp] of OPERATORS) {
            if (inner !== ':' && this.text.startsWith(inner, this.pos)) {
              this.pos += inner.length;
              return innerOp;
            }
          }
        }
        return op;
      }
    }
    return null;
  }
}
