import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { docFiles, REPO, readDoc, snippets } from './markdown.js';

/** What differs from one start to the next: port, token, paths, pids. */
function normalize(line: string): string {
  return line
    .replace(/(localhost|127\.0\.0\.1):\d+/g, '$1:PORT')
    .replace(/token=\S+/, 'token=TOKEN')
    .replace(/^(\s+Storage\s+)\S+$/, '$1DIR')
    .replace(/\(pid \d+\)/, '(pid N)')
    .replace(/(starting |→ )\S+ \S+(server-everything\/dist\/index\.js stdio)$/, '$1COMMAND $2');
}

describe('what the README says about a fresh start', () => {
  it('shows the output `npm start -- --demo` prints, but for port, token, paths and pids', async () => {
    const sample = snippets('README.md').find((s) => s.lang === 'text' && /^MCP Gateway /m.test(s.text));
    expect(sample, 'the sample output in the Quick start').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-readme-banner-'));
    const run = runCli(['--demo', '--port', '0', '--storage-dir', dir]);
    try {
      await run.waitFor(/a client made \d+ calls/, 30_000);
      const printed = `${run.stderr()}\n${run.stdout()}`.split('\n').map(normalize);
      const lines = (sample?.text ?? '').split('\n').map(normalize);
      // The banner itself, line for line, as one block.
      const first = lines.findIndex((l) => l.startsWith('MCP Gateway '));
      const last = lines.findIndex((l) => l.includes('Press Ctrl-C to stop.'));
      const banner = lines.slice(first, last + 1);
      const at = printed.indexOf(banner[0] as string);
      expect(printed.slice(at, at + banner.length)).toEqual(banner);
      // Every other line, somewhere in what was printed (stdout and stderr interleave as they will).
      for (const line of [...lines.slice(0, first), ...lines.slice(last + 1)])
        expect(printed).toContain(line);
    } finally {
      run.child.kill('SIGTERM');
      await run.exit();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("names the Node.js version package.json's engines asks for, wherever a version is named", () => {
    const engines = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).engines.node as string;
    const wanted = /^>=\s*(\d+\.\d+\.\d+)$/.exec(engines)?.[1];
    expect(wanted, engines).toBeDefined();
    const named = docFiles().flatMap((file) =>
      [...readDoc(file).matchAll(/Node(?:\.js)? (\d+(?:\.\d+){0,2})/g)].map((m) => `${file}: ${m[1]}`),
    );
    expect(named.length).toBeGreaterThan(0);
    for (const mention of named) expect(mention).toMatch(new RegExp(`: ${wanted?.replaceAll('.', '\\.')}$`));
  });
});
