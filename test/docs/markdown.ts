import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** One fenced code block of the README or a docs page. */
export interface Snippet {
  /** `README.md:18`: where the block's fence opens. */
  where: string;
  file: string;
  lang: string;
  text: string;
  /** The lines just above the fence: what the docs say the block is. */
  before: string;
}

/** README.md and every docs/*.md page, relative to the repository. */
export function docFiles(): string[] {
  const pages = readdirSync(join(REPO, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...pages];
}

export function readDoc(file: string): string {
  return readFileSync(join(REPO, file), 'utf8');
}

/** Every fenced block (```lang … ```), in order. */
export function snippets(file: string): Snippet[] {
  const found: Snippet[] = [];
  const lines = readDoc(file).split('\n');
  let open: { line: number; lang: string; body: string[] } | null = null;
  lines.forEach((line, index) => {
    const fence = /^\s*```(\S*)\s*$/.exec(line);
    if (!fence) {
      open?.body.push(line);
      return;
    }
    if (open) {
      const before = lines.slice(Math.max(0, open.line - 4), open.line - 1).join('\n');
      found.push({
        where: `${file}:${open.line}`,
        file,
        lang: open.lang,
        text: open.body.join('\n'),
        before,
      });
      open = null;
    } else {
      open = { line: index + 1, lang: fence[1] ?? '', body: [] };
    }
  });
  return found;
}

/** The commands of a shell block: continuation lines joined, comments and blank lines left out. */
export function shellCommands(text: string): string[] {
  const joined = text.replace(/\\\n\s*/g, '');
  return (
    joined
      .split('\n')
      // A comment is a `#` at the start or after a space, followed by a space (never inside a URL or a filter).
      .map((line) => line.replace(/(^|\s)#\s.*$/, '').trim())
      .filter((line) => line !== '')
  );
}
