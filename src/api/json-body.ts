import type { Context } from 'hono';

/** JSON a reader thread has already written (read-text.ts), to be sent as it is. */
export class RawJson {
  constructor(readonly bytes: Uint8Array) {}
}

const encoder = new TextEncoder();

/**
 * A JSON object response whose big fields are bytes written elsewhere (a reader thread): the main
 * thread only joins them to the small fields it adds, with one copy and no parsing or stringifying.
 */
export function jsonObject(c: Context, fields: Record<string, unknown>): Response {
  const parts: Uint8Array[] = [];
  let text = '{';
  for (const [index, [key, value]] of Object.entries(fields).entries()) {
    text += `${index === 0 ? '' : ','}${JSON.stringify(key)}:`;
    if (value instanceof RawJson) {
      parts.push(encoder.encode(text), value.bytes);
      text = '';
    } else {
      text += JSON.stringify(value);
    }
  }
  parts.push(encoder.encode(`${text}}`));
  return jsonBytes(c, Buffer.concat(parts));
}

/** Bytes that are JSON already, sent with the content type `c.json` would have given them. */
export function jsonBytes(c: Context, bytes: Uint8Array<ArrayBuffer>): Response {
  return c.body(bytes, 200, { 'content-type': 'application/json' });
}
