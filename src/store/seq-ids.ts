/**
 * Record ids for the numbers the capture worker gave its records. The capture worker links a response to
 * its request (and an operation's rounds to each other) at once, before the writer thread has stored
 * either, so it numbers its records itself, 1, 2, 3, …; the writer gives each batch the ids that follow the
 * table's highest, in its IMMEDIATE transaction, so ids stay in commit order without gaps as the live feed
 * expects (pending-rows.ts). A number maps to its id by the offset of its batch's run: the offset changes
 * only when another writer (an import, a health note, `mcp-gateway wrap`) took ids in between, so the runs
 * stay few. The numbers of a batch that was not stored map to no id: nothing links to a lost record.
 */
export class SeqIds {
  /** Runs of numbers, by first number ascending; `offset` is null for numbers whose batch was lost. */
  readonly #runs: { first: number; offset: number | null }[] = [];

  /** A batch starts: its first number `seq` gets the id `id`, and the numbers after it the ids after that. */
  begin(seq: number, id: number): void {
    const last = this.#runs[this.#runs.length - 1];
    if (last?.first === seq) this.#runs.pop();
    const before = this.#runs[this.#runs.length - 1];
    if (before?.offset !== id - seq) this.#runs.push({ first: seq, offset: id - seq });
  }

  /** The batch that began at `seq` was rolled back: its numbers (up to the next batch's) have no id. */
  lost(seq: number): void {
    const last = this.#runs[this.#runs.length - 1];
    if (last?.first === seq) last.offset = null;
    else this.#runs.push({ first: seq, offset: null });
  }

  /** The id of the record numbered `seq`, or null when it was not stored (or `seq` is null). */
  id(seq: number | null): number | null {
    if (seq === null) return null;
    const runs = this.#runs;
    // Nearly always the newest run: links point back a few records.
    let low = 0;
    let high = runs.length - 1;
    if (high >= 0 && (runs[high] as { first: number }).first <= seq) low = high;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((runs[middle] as { first: number }).first <= seq) low = middle;
      else high = middle - 1;
    }
    const run = runs[low];
    if (!run || run.first > seq || run.offset === null) return null;
    return seq + run.offset;
  }
}
