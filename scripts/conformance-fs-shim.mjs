// node:fs plus the part of Node 22's `fs.globSync` the conformance suite uses (relative paths under `cwd`
// matching a pattern with `**`, `*` and `?`), for Node 20. See conformance-node20.mjs.
import fs from 'node:fs';
import { relative, sep } from 'node:path';

export * from 'node:fs';
export default fs;

/** `**​/` matches any number of directories, `*` and `?` never cross a `/`. */
function patternToRegExp(pattern) {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (pattern.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function globSync(pattern, options = {}) {
  const cwd = options.cwd ?? process.cwd();
  const patterns = (Array.isArray(pattern) ? pattern : [pattern]).map(patternToRegExp);
  const entries = fs.readdirSync(cwd, { recursive: true, withFileTypes: true });
  const matches = [];
  for (const entry of entries) {
    const path = relative(cwd, `${entry.parentPath ?? entry.path}${sep}${entry.name}`);
    const posix = path.split(sep).join('/');
    if (patterns.some((re) => re.test(posix))) matches.push(path);
  }
  return matches;
}
