/**
 * A secret value from stdin: all of it when piped (one trailing newline dropped, as `echo` adds it), or
 * typed at a prompt that echoes nothing. Null when empty or cancelled.
 */
export async function readSecretValue(
  stdin: NodeJS.ReadStream,
  prompt: string,
  write: (text: string) => void,
): Promise<string | null> {
  const value = stdin.isTTY ? await promptHidden(stdin, prompt) : await readAll(stdin);
  if (value === null) return null;
  const trimmed = value.replace(/\r?\n$/, '');
  if (trimmed === '') return null;
  if (stdin.isTTY) write('');
  return trimmed;
}

async function readAll(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Raw mode: each key arrives as typed and nothing is echoed; Enter ends, Ctrl-C or Ctrl-D cancels. */
function promptHidden(stdin: NodeJS.ReadStream, prompt: string): Promise<string | null> {
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let value = '';
    const finish = (result: string | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(value);
        if (char === '\u0003' || char === '\u0004') return finish(null);
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
