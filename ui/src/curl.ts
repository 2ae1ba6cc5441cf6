import type { CapturedRecord } from './types';

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Headers worth repeating in a replay: those MCP routes on. Secrets were redacted and stay placeholders. */
const REPLAYED = ['content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'authorization'];

/**
 * A curl command that sends a client message again through the gateway. Redacted credentials come out as
 * a placeholder to fill in, never as the stored "[redacted]".
 */
export function curlCommand(record: CapturedRecord, origin: string): string {
  const lines = [`curl -X POST ${quote(`${origin}/s/${record.server}/mcp`)}`];
  const headers = record.headers.request ?? {};
  const seen = new Set<string>();
  for (const name of REPLAYED) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    seen.add(name);
    const shown = value.includes('[redacted]') ? value.replace('[redacted]', '<token>') : value;
    lines.push(`-H ${quote(`${name}: ${shown}`)}`);
  }
  if (!seen.has('content-type')) lines.push(`-H ${quote('content-type: application/json')}`);
  if (!seen.has('accept')) lines.push(`-H ${quote('accept: application/json, text/event-stream')}`);
  if (!seen.has('mcp-session-id') && record.sessionId)
    lines.push(`-H ${quote(`mcp-session-id: ${record.sessionId}`)}`);
  const body = typeof record.message === 'string' ? record.message : JSON.stringify(record.message);
  lines.push(`--data-raw ${quote(body)}`);
  return lines.join(' \\\n  ');
}
