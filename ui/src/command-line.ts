/**
 * stdio servers are run without a shell, as a command and a list of arguments. The form shows the
 * arguments as one line, the way they would be typed in a terminal: these two functions go back and
 * forth, quoting what needs it, so what is saved is exactly what was meant.
 */

/** Splits a line into arguments: spaces separate, single or double quotes group, backslash escapes. */
export function splitArgs(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let started = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quote) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (char === '\\' && i + 1 < line.length) {
      current += line[++i];
      started = true;
    } else if (/\s/.test(char)) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

/** Joins arguments into a line that splitArgs reads back the same (the gateway quotes the same way). */
export { joinArgs } from '../../src/core/command-line.js';
