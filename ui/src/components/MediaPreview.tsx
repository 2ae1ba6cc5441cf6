import { useState } from 'react';
import { formatBytes } from '../format';
import type { MediaItem } from '../media';

function Preview({ item }: { item: MediaItem }) {
  const [broken, setBroken] = useState(false);
  const caption = `${item.kind === 'image' ? 'Image' : 'Audio'} ${item.mimeType}, ${formatBytes(item.bytes)}, at ${item.path || 'the message'}`;
  return (
    <figure className="flex flex-col gap-1">
      {broken ? (
        <p className="text-xs text-amber-700 dark:text-amber-400">
          This {item.kind} could not be decoded (the stored data may be cut or not {item.mimeType}); its
          base64 is in the JSON below.
        </p>
      ) : item.kind === 'image' ? (
        <img
          src={item.url}
          alt={caption}
          onError={() => setBroken(true)}
          className="max-h-64 max-w-full self-start rounded border border-slate-200 bg-[conic-gradient(#e2e8f0_25%,#fff_0_50%,#e2e8f0_0_75%,#fff_0)] bg-[length:16px_16px] object-contain dark:border-slate-700"
        />
      ) : (
        // biome-ignore lint/a11y/useMediaCaption: captured audio comes with no captions; the figure says what it is
        <audio
          controls
          src={item.url}
          aria-label={caption}
          onError={() => setBroken(true)}
          className="max-w-full"
        />
      )}
      <figcaption className="text-[11px] text-slate-500">{caption}</figcaption>
    </figure>
  );
}

/** Images and audio the message carries, shown as what they are; the raw base64 stays in the JSON. */
export function MediaPreview({ items }: { items: MediaItem[] }) {
  if (items.length === 0) return null;
  return (
    <div className="mb-2 flex flex-wrap gap-3">
      {items.map((item) => (
        <Preview key={item.path} item={item} />
      ))}
    </div>
  );
}
