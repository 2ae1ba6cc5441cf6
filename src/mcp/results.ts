import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../core/errors.js';
import { FilterError } from '../filter/errors.js';

/**
 * Tool results: `structuredContent` (checked by the SDK against the tool's outputSchema) with a text
 * rendering a person or a model can read. Failures are `isError` results (MCP spec, "Tools": errors in a
 * tool's result, not protocol errors) whose text says what to do.
 */
export function ok(structured: Record<string, unknown>, text: string): CallToolResult {
  return { structuredContent: structured, content: [{ type: 'text', text }] };
}

export function failure(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** Runs a tool body; expected failures (bad input, unknown names, bad filters) become isError results. */
export async function guarded(body: () => CallToolResult | Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof FilterError) {
      return failure(
        `Invalid filter: ${error.message} (at character ${error.position + 1}). Fields and syntax are described in the search_records tool's description.`,
      );
    }
    if (error instanceof GatewayError) return failure(error.message);
    throw error;
  }
}
