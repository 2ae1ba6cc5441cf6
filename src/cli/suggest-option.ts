/**
 * Edit distance with swapped neighbours counted as one edit (optimal string alignment): typos such as
 * `--prot` are one swap away from `--port`.
 */
function distance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * The known option closest to a mistyped one (`--prot` → `--port`), or null when none is close enough
 * to be a likely typo. An unambiguous prefix (`--stor`) counts as close.
 */
export function nearestOption(typed: string, known: readonly string[]): string | null {
  const bare = typed.replace(/^-+/, '').split('=')[0] ?? '';
  if (bare === '') return null;
  const prefixed = known.filter((name) => name.startsWith(bare));
  if (prefixed.length === 1) return `--${prefixed[0]}`;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const d = distance(bare, name);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(1, Math.floor(bare.length / 3));
  return best !== null && bestDistance <= tolerance ? `--${best}` : null;
}
