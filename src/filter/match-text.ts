/**
 * Free text in memory, read the way SQLite FTS5's `unicode61 remove_diacritics 2` tokenizer reads it (the
 * records_fts table, store/migration-search.ts): tokens are runs of letters, numbers and private-use
 * characters (its default `categories 'L* N* Co'`), folded to lower case with diacritics removed; all
 * else separates them. A quoted phrase is a run of consecutive tokens; `weath*` makes the last a prefix.
 */

/** Case and diacritics folded away, as the tokenizer does. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

export function tokenize(text: string): string[] {
  return foldText(text).match(TOKEN) ?? [];
}

/** Whether `phrase` occurs as consecutive tokens of `tokens`; with `prefix`, its last token may be longer. */
export function phraseIn(tokens: readonly string[], phrase: readonly string[], prefix: boolean): boolean {
  if (phrase.length === 0) return false;
  const last = phrase.length - 1;
  for (let start = 0; start + last < tokens.length; start++) {
    let all = true;
    for (let i = 0; i <= last; i++) {
      const token = tokens[start + i] as string;
      const want = phrase[i] as string;
      if (i === last && prefix ? !token.startsWith(want) : token !== want) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}
