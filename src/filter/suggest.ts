/** Levenshtein distance, small inputs only (field names, enum values). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The candidate a typo most likely meant ("methd" → "method"), or null when nothing is close: at most
 * one edit for short words, two for longer ones, or a candidate that starts with what was typed.
 */
export function closest(word: string, candidates: readonly string[]): string | null {
  const typed = word.toLowerCase();
  // One or two letters are too little to guess from ("a:b" is more likely text than a typo).
  if (typed.length < 3) return null;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = typed.length <= 4 ? 1 : 2;
  if (best !== null && bestDistance <= allowed) return best;
  if (typed.length >= 3) {
    const prefixed = candidates.find((c) => c.toLowerCase().startsWith(typed));
    if (prefixed) return prefixed;
  }
  return null;
}
