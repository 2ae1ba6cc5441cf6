/**
 * Reads a file chosen for import into the body `POST /api/logs/import` takes: JSON Lines, one record a
 * line, as Export writes it. A JSON array of records (the API's `data`, saved by hand) is turned into
 * lines here; a JSONL file goes as it is, streamed, whatever its size.
 */
export async function importBody(file: File): Promise<Blob> {
  const start = (await file.slice(0, 256).text()).trimStart();
  if (!start.startsWith('[') && !/^\{\s*"data"\s*:/.test(start)) return file;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch (error) {
    throw new Error(
      `${file.name} is not valid JSON (${(error as Error).message}). Import takes the JSONL file Export downloads, one record per line.`,
    );
  }
  const records = Array.isArray(parsed) ? parsed : (parsed as { data?: unknown }).data;
  if (!Array.isArray(records)) {
    throw new Error(`${file.name} holds no list of records. Import takes the JSONL file Export downloads.`);
  }
  return new Blob([records.map((record) => JSON.stringify(record)).join('\n')], {
    type: 'application/x-ndjson',
  });
}

export interface ImportResult {
  imported: number;
  skipped: number;
  problems: { line: number; error: string }[];
}

/** The outcome in words: how many came in, and which lines did not and why (the first few). */
export function importReport(result: ImportResult): string {
  const imported = `Imported ${result.imported.toLocaleString()} message${result.imported === 1 ? '' : 's'}.`;
  if (result.skipped === 0) return imported;
  const first = result.problems[0];
  return `${imported} Skipped ${result.skipped.toLocaleString()} line${result.skipped === 1 ? '' : 's'} that were not records${first ? ` (line ${first.line}: ${first.error})` : ''}.`;
}
