import { describe, expect, it } from 'vitest';
import { findMedia } from '../../ui/src/media.js';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('media previews in a message', () => {
  it('finds image and audio blocks and image blobs, in order, as data: URLs of their own type', () => {
    const message = {
      result: {
        content: [
          { type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' },
          { type: 'image', mimeType: 'IMAGE/PNG; charset=binary', data: PNG },
          { type: 'resource', resource: { uri: 'file:///a.png', mimeType: 'image/png', blob: PNG } },
        ],
      },
    };
    expect(findMedia(message).map((m) => [m.kind, m.path, m.url.slice(0, 22)])).toEqual([
      ['audio', 'result.content[0]', 'data:audio/wav;base64,'],
      ['image', 'result.content[1]', 'data:image/png;base64,'],
      ['image', 'result.content[2].resource', 'data:image/png;base64,'],
    ]);
  });

  it('leaves out SVG, unknown types, URLs, redacted or non-base64 data, and text blocks', () => {
    const message = {
      content: [
        { type: 'image', mimeType: 'image/svg+xml', data: btoa('<svg/>') },
        { type: 'image', mimeType: 'text/html', data: btoa('<p>') },
        { type: 'image', mimeType: 'image/png', data: 'https://example.com/x.png' },
        { type: 'image', mimeType: 'image/png', data: '[REDACTED:secret]' },
        { type: 'image', mimeType: 'image/png', data: 'javascript:alert(1)' },
        { type: 'text', mimeType: 'image/png', data: PNG },
      ],
    };
    expect(findMedia(message)).toEqual([]);
  });

  it('stays bounded on a deeply nested message', () => {
    let deep: unknown = { type: 'image', mimeType: 'image/png', data: PNG };
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(findMedia(deep)).toEqual([]);
  });
});
