import { useState } from 'react';
import { withQuery } from './api';

/** The compare screen for two records, or two sessions (`session:<id>`, with their servers). */
export function comparePath(a: string, b: string, servers: { a?: string; b?: string } = {}): string {
  return withQuery('/ui/compare', { a, b, aServer: servers.a, bServer: servers.b });
}

export interface Marks<T> {
  /** At most two, oldest first: marking a third lets go of the first. */
  marked: T[];
  toggle(item: T): void;
  clear(): void;
}

/** Two things marked to compare, by key. */
export function useMarks<T>(key: (item: T) => string): Marks<T> {
  const [marked, setMarked] = useState<T[]>([]);
  return {
    marked,
    toggle(item) {
      setMarked((current) => {
        const k = key(item);
        if (current.some((m) => key(m) === k)) return current.filter((m) => key(m) !== k);
        return [...current, item].slice(-2);
      });
    },
    clear: () => setMarked([]),
  };
}
