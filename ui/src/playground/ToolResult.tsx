import { JsonView } from '../components/JsonView';
import { ContentList, type ReadResource } from './ContentView';
import { checkSchema, partlyChecked, type Schema } from './schema-check';

/**
 * A tools/call result: its content, `structuredContent` checked against the tool's `outputSchema` (MCP
 * spec "Tools", structured content: servers MUST conform to it), and `isError` shown as the tool's error.
 */
export function ToolResult({
  result,
  outputSchema,
  ms,
  read,
}: {
  result: Record<string, unknown>;
  /** Reads a resource link the result carries. */
  read?: ReadResource;
  outputSchema: Schema | undefined;
  ms: number;
}) {
  const isError = result.isError === true;
  const structured = result.structuredContent;
  let check: { ok: boolean; text: string } | null = null;
  if (outputSchema) {
    if (structured === undefined) {
      check = isError
        ? null
        : { ok: false, text: 'The tool declares an outputSchema but returned no structuredContent.' };
    } else {
      const errors = checkSchema(outputSchema, structured);
      check =
        errors.length === 0
          ? {
              ok: true,
              text: `structuredContent matches the outputSchema${partlyChecked(outputSchema) ? ' (some keywords, such as $ref or pattern, were not checked)' : ''}.`,
            }
          : { ok: false, text: `structuredContent does not match the outputSchema: ${errors.join('; ')}.` };
    }
  }
  return (
    <section
      aria-label="Result"
      className={`mt-2 rounded-md border p-2 ${isError ? 'border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950/40' : 'border-slate-200 dark:border-slate-800'}`}
    >
      <p className={`mb-1 text-xs font-semibold ${isError ? 'text-red-700 dark:text-red-300' : ''}`}>
        {isError ? 'The tool reported an error (isError)' : 'Result'}
        <span className="ml-2 font-normal text-slate-500">{Math.round(ms)} ms</span>
      </p>
      <ContentList content={result.content} read={read} />
      {structured !== undefined ? (
        <div className="mt-2">
          <p className="text-[11px] font-semibold">structuredContent</p>
          <JsonView value={structured} />
        </div>
      ) : null}
      {check ? (
        <p
          className={`mt-1 text-xs ${check.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-amber-700 dark:text-amber-400'}`}
        >
          {check.ok ? '✓ ' : '⚠ '}
          {check.text}
        </p>
      ) : null}
    </section>
  );
}
