import { openDatabase } from '../../src/store/database.js';
import type { TrafficGenerator } from './traffic.js';

/** Words whose share of records is near each target, found with the index itself. */
export function searchTerms(
  path: string,
  traffic: TrafficGenerator,
  total: number,
): { word: string; share: number }[] {
  const db = openDatabase(path, { readonly: true });
  const count = db.prepare('SELECT count(*) AS n FROM records_fts WHERE records_fts MATCH ?');
  const wanted = [0.0005, 0.005, 0.05, 0.3];
  const found: { word: string; share: number }[] = [];
  for (let rank = 0; rank < 6000 && found.length < wanted.length; rank += rank < 50 ? 1 : 3) {
    const word = traffic.wordAt(rank);
    const share = (count.get(`"${word}"`) as { n: number }).n / total;
    const target = wanted[wanted.length - 1 - found.length] as number;
    if (share <= target * 1.5 && share >= target / 3) found.push({ word, share });
  }
  db.close();
  return found.sort((a, b) => a.share - b.share);
}
