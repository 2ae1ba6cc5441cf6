import { JsonView } from '../components/JsonView';

/** One item of a tool result, prompt message or resource read, shown as what it is (MCP spec "Tools"). */
type Item = Record<string, unknown> & { type?: string };

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function dataUrl(mimeType: string, base64: string): string {
  return `data:${mimeType};base64,${base64}`;
}

function bytesOf(base64: string): number {
  return Math.floor((base64.length * 3) / 4);
}

/** A resource's contents (resources/read, an embedded resource): text as text, images as images. */
export function ResourceContents({ contents }: { contents: Item }) {
  const mimeType = str(contents.mimeType) || 'unknown type';
  const blob = str(contents.blob);
  return (
    <div className="rounded border border-slate-200 p-2 dark:border-slate-800">
      <p className="mb-1 text-[11px] text-slate-500">
        <span className="font-mono">{str(contents.uri)}</span> · {mimeType}
      </p>
      {typeof contents.text === 'string' ? (
        <pre className="max-h-72 overflow-auto whitespace-pre-wrap text-xs">{contents.text}</pre>
      ) : mimeType.startsWith('image/') ? (
        <img
          src={dataUrl(mimeType, blob)}
          alt={`Resource ${str(contents.uri)} (${mimeType})`}
          className="max-h-64"
        />
      ) : (
        <p className="text-xs">Binary contents, {bytesOf(blob)} bytes (base64 in the JSON of the result).</p>
      )}
    </div>
  );
}

export function ContentItem({ item }: { item: Item }) {
  switch (item.type) {
    case 'text':
      return <pre className="max-h-72 overflow-auto whitespace-pre-wrap text-xs">{str(item.text)}</pre>;
    case 'image':
      return (
        <figure>
          <img
            src={dataUrl(str(item.mimeType), str(item.data))}
            alt={`Tool result, ${str(item.mimeType)}`}
            className="max-h-64 max-w-full rounded border border-slate-200 dark:border-slate-700"
          />
          <figcaption className="text-[11px] text-slate-500">
            Image {str(item.mimeType)}, {bytesOf(str(item.data))} bytes
          </figcaption>
        </figure>
      );
    case 'audio':
      return (
        <figure>
          {/* biome-ignore lint/a11y/useMediaCaption: tool audio comes with no captions; the caption says what it is */}
          <audio
            controls
            src={dataUrl(str(item.mimeType), str(item.data))}
            aria-label={`Audio result (${str(item.mimeType)})`}
          />
          <figcaption className="text-[11px] text-slate-500">Audio {str(item.mimeType)}</figcaption>
        </figure>
      );
    case 'resource':
      return <ResourceContents contents={(item.resource ?? {}) as Item} />;
    case 'resource_link':
      return (
        <p className="text-xs">
          Resource link: <span className="font-mono">{str(item.uri)}</span>
          {item.name ? ` (${str(item.name)})` : ''}
          {item.description ? <span className="text-slate-500"> · {str(item.description)}</span> : null}
        </p>
      );
    default:
      return <JsonView value={item} />;
  }
}

export function ContentList({ content }: { content: unknown }) {
  const items = Array.isArray(content) ? (content as Item[]) : [];
  if (items.length === 0) return <p className="text-xs text-slate-500">No content.</p>;
  return (
    <ul className="flex flex-col gap-2">
      {items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: content items have no identity but their place
        <li key={i}>
          <ContentItem item={item} />
        </li>
      ))}
    </ul>
  );
}
