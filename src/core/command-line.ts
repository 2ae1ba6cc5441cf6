/**
 * How a stdio launch reads as one line in a POSIX shell. The gateway never runs a shell (the command and
 * its arguments go to the process as they are), but a person judging whether to run something reads a
 * terminal line best: arguments that hold spaces, quotes or shell characters are quoted so that the line
 * is exactly what would run, never something that merely looks like it.
 */

/** One argument, single-quoted unless it is made only of characters no shell treats specially. */
export function quoteArg(arg: string): string {
  return arg !== '' && /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`;
}

/** Arguments joined into a line a POSIX shell splits back into the same arguments. */
export function joinArgs(args: readonly string[]): string {
  return args.map(quoteArg).join(' ');
}

/** The command and its arguments as one shell line. */
export function commandLine(command: string, args: readonly string[] = []): string {
  return joinArgs([command, ...args]);
}
