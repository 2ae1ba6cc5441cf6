import type { CapturedRecord } from '../core/record.js';
import type { FieldTerm } from '../filter/ast.js';
import type { AsyncLogStore } from '../store/log-store.js';

const term = (field: string, op: FieldTerm['op'], value: string | number): FieldTerm => ({
  type: 'field',
  field,
  op,
  values: [value],
  raw: [String(value)],
  negated: false,
  position: 0,
});

/** The replay's request and answer as captured: they land in the store shortly after the answer arrives. */
export async function findReplay(
  deps: { store: AsyncLogStore; flushCapture: () => Promise<void> },
  original: CapturedRecord,
  /** The method sent (an edit may have changed it). */
  method: string,
  since: number,
): Promise<{ request: CapturedRecord | null; response: CapturedRecord | null }> {
  // Other clients' traffic may land meanwhile: the replay is the request of this method marked as its.
  const filter = {
    terms: [
      term('server', '=', original.server),
      term('id', '>', since),
      term('kind', '=', 'request'),
      term('method', '=', method),
    ],
  };
  let request: CapturedRecord | null = null;
  for (let attempt = 0; attempt < 20; attempt++) {
    await deps.flushCapture();
    request ??=
      (await deps.store.list({ filter, limit: 200, order: 'asc' })).records.find(
        (r) => r.replayOf === original.id,
      ) ?? null;
    const response = request ? await deps.store.partnerOf(request) : null;
    if (response) return { request, response };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { request, response: null };
}
