/**
 * Pairs the calls of two sessions: the n-th request of a method in one with the n-th request of the same
 * method in the other (a session that listed tools twice and called one tool three times pairs with
 * another that did the same, whatever else came between). What has no counterpart is on one side only.
 * The pairs come in session order: by the first session, with the second's unpaired calls placed after
 * the pair that precedes them in the second session.
 */

export interface Pair<T> {
  method: string;
  a: T | null;
  b: T | null;
}

export function pairCalls<T>(a: readonly T[], b: readonly T[], methodOf: (call: T) => string): Pair<T>[] {
  const partnerInB = new Map<number, number>();
  const waiting = new Map<string, number[]>();
  b.forEach((call, index) => {
    const method = methodOf(call);
    const list = waiting.get(method) ?? [];
    list.push(index);
    waiting.set(method, list);
  });
  a.forEach((call, index) => {
    const next = waiting.get(methodOf(call))?.shift();
    if (next !== undefined) partnerInB.set(index, next);
  });
  const pairedB = new Set(partnerInB.values());
  const pairs: Pair<T>[] = [];
  let bCursor = 0;
  const onlyBBefore = (limit: number) => {
    for (; bCursor < limit; bCursor++) {
      if (!pairedB.has(bCursor)) {
        const call = b[bCursor] as T;
        pairs.push({ method: methodOf(call), a: null, b: call });
      }
    }
  };
  a.forEach((call, index) => {
    const partner = partnerInB.get(index);
    if (partner === undefined) {
      pairs.push({ method: methodOf(call), a: call, b: null });
      return;
    }
    onlyBBefore(partner);
    bCursor = Math.max(bCursor, partner + 1);
    pairs.push({ method: methodOf(call), a: call, b: b[partner] as T });
  });
  onlyBBefore(b.length);
  return pairs;
}
