/**
 * Where fault rules draw their chances from: a function returning a number in [0, 1), like Math.random.
 * Tests pass a seeded one, so a rule with probability 0.5 hits the same messages on every run.
 */
export type RandomSource = () => number;

/** mulberry32: a small, fast seeded generator, plenty for deciding which messages a fault hits. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
