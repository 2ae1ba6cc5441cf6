import { useState } from 'react';
import { JsonView } from '../components/JsonView';

/** One item of a tool result, prompt message or resource read, shown as what it is (MCP spec "Tools"). */
type Item = Record<string, unknown> & { type?: string };

/** resources/read through the playground's session, for a resource link's Read button. */
export type ReadResource = (uri: string) => Promise<{ contents: unknown[] }>;

function ResourceLink({ item, read }: { item: Item; read: ReadResource | undefined }) {
  const [state, setState] = useState<{ contents?: unknown[]; error?: string; busy?: boolean }>({});
  const uri = str(item.uri);
  return (
    <div className="text-xs">
      <p>
        Resource link: <span className="font-mono">{uri}</span>
        {item.name ? ` (${str(item.name)})` : ''}
        {item.description ? <span className="text-slate-500"> · {str(item.description)}</span> : null}
        {read ? (
          <button
            type="button"
            className="btn btn-sm ml-2"
            disabled={state.busy}
            aria-label={`Read ${uri}`}
            onClick={() => {
              setState({ busy: true });
              read(uri).then(
                (result) => setState({ contents: result.contents }),
                (error: unknown) =>
                  setState({ error: error instanceof Error ? error.message : String(error) }),
              );
            }}
          >
            Read
          </button>
        ) : null}
      </p>
      {state.error ? (
        <p role="alert" className="text-red-700 dark:text-red-400">
          {state.error}
        </p>
      ) : null}
      {state.contents?.map((contents, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: contents are in order and never move
        <ResourceContents key={i} contents={contents as Item} />
      ))}
    </div>
  );
}

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

export function ContentItem({ item, read }: { item: Item; read?: ReadResource | undefined }) {
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
      return <ResourceLink item={item} read={read} />;
    default:
      return <JsonView value={item} />;
  }
}

export function ContentList({ content, read }: { content: unknown; read?: ReadResource | undefined }) {
  const items = Array.isArray(content) ? (content as Item[]) : [];
  if (items.length === 0) return <p className="text-xs text-slate-500">No content.</p>;
  return (
    <ul className="flex flex-col gap-2">
      {items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: content items have no identity but their place
        <li key={i}>
          <ContentItem item={item} read={read} />
        </li>
      ))}
    </ul>
  );
}
