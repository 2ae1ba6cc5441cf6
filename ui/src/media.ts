/**
 * Images and audio inside a message (MCP content blocks, spec "Tool Result" → image / audio content, and
 * resource blobs), made into previews. Only `data:` URLs built from the block's own mimeType and base64
 * data, and only for types a browser shows without running anything: SVG is left out (it can hold
 * script), as is every remote URL. The img-src and media-src of the UI's CSP allow `data:` and nothing
 * else from outside.
 */
export interface MediaItem {
  kind: 'image' | 'audio';
  /** Where it sits in the message (result.content[0]), to tell several apart. */
  path: string;
  mimeType: string;
  url: string;
  bytes: number;
}

const IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
]);
const AUDIO_TYPES: ReadonlySet<string> = new Set([
  'audio/wav',
  'audio/wave',
  'audio/x-wav',
  'audio/mpeg',
  'audio/mp3',
  'audio/ogg',
  'audio/webm',
  'audio/aac',
  'audio/flac',
  'audio/mp4',
]);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A message is walked this far and no further: previews are a convenience, never a cost. */
const MAX_DEPTH = 16;
const MAX_NODES = 20_000;
const MAX_ITEMS = 12;

function mediaKind(mimeType: string): MediaItem['kind'] | null {
  if (IMAGE_TYPES.has(mimeType)) return 'image';
  if (AUDIO_TYPES.has(mimeType)) return 'audio';
  return null;
}

/** A preview for one object, if it is an image/audio block or a blob of such a type. */
function itemOf(node: Record<string, unknown>, path: string): MediaItem | null {
  const data = typeof node.data === 'string' ? node.data : typeof node.blob === 'string' ? node.blob : null;
  if (data === null || typeof node.mimeType !== 'string') return null;
  if (typeof node.data === 'string' && node.type !== 'image' && node.type !== 'audio') return null;
  const mimeType = (node.mimeType.split(';')[0] ?? '').trim().toLowerCase();
  const kind = mediaKind(mimeType);
  const base64 = data.replace(/\s+/g, '');
  if (kind === null || !BASE64.test(base64)) return null;
  return {
    kind,
    path,
    mimeType,
    url: `data:${mimeType};base64,${base64}`,
    bytes: Math.floor((base64.length * 3) / 4),
  };
}

/** The images and audio in a parsed message, in document order. */
export function findMedia(message: unknown): MediaItem[] {
  const found: MediaItem[] = [];
  const stack: [unknown, string, number][] = [[message, '', 0]];
  let visited = 0;
  while (stack.length > 0 && found.length < MAX_ITEMS && visited++ < MAX_NODES) {
    const [node, path, depth] = stack.pop() as [unknown, string, number];
    if (node === null || typeof node !== 'object' || depth > MAX_DEPTH) continue;
    const item = Array.isArray(node) ? null : itemOf(node as Record<string, unknown>, path);
    if (item) {
      found.push(item);
      continue;
    }
    const entries = Object.entries(node as Record<string, unknown>);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, child] = entries[index] as [string, unknown];
      const childPath = Array.isArray(node) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      stack.push([child, childPath, depth + 1]);
    }
  }
  return found;
}
