import { useEffect, useId, useRef, useState } from 'react';
import { ContentItem } from './ContentView';
import type { ServerAsk } from './client';
import { SchemaForm } from './SchemaForm';
import type { Schema } from './schema-check';

function Elicitation({ ask }: { ask: Extract<ServerAsk, { kind: 'elicitation' }> }) {
  const params = ask.params as { message: string; requestedSchema?: Schema };
  return (
    <>
      <p className="mb-2 text-sm">{params.message}</p>
      <SchemaForm
        schema={params.requestedSchema}
        label="Answer the server's question"
        submitLabel="Accept"
        onSubmit={(content) => ask.answer({ action: 'accept', content: content as never })}
      >
        <button type="button" className="btn" onClick={() => ask.answer({ action: 'decline' })}>
          Decline
        </button>
        <button type="button" className="btn" onClick={() => ask.answer({ action: 'cancel' })}>
          Cancel
        </button>
      </SchemaForm>
    </>
  );
}

function Sampling({ ask }: { ask: Extract<ServerAsk, { kind: 'sampling' }> }) {
  const [reply, setReply] = useState('');
  const id = useId();
  const { messages, systemPrompt, maxTokens } = ask.params;
  return (
    <>
      {systemPrompt ? <p className="mb-1 text-xs text-slate-500">System prompt: {systemPrompt}</p> : null}
      <ol className="mb-2 flex flex-col gap-1">
        {messages.map((message, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: messages are in order and never move
          <li key={i} className="text-xs">
            <span className="font-semibold">{message.role}: </span>
            {(Array.isArray(message.content) ? message.content : [message.content]).map((item, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: as above
              <ContentItem key={j} item={item as Record<string, unknown>} />
            ))}
          </li>
        ))}
      </ol>
      <form
        aria-label="Answer as the model"
        onSubmit={(event) => {
          event.preventDefault();
          ask.answer({
            role: 'assistant',
            content: { type: 'text', text: reply },
            model: 'typed in the mcp-gateway playground',
            stopReason: 'endTurn',
          });
        }}
      >
        <label className="field-label" htmlFor={id}>
          Assistant reply (up to {maxTokens} tokens asked)
        </label>
        <textarea
          id={id}
          className="input min-h-16"
          value={reply}
          onChange={(event) => setReply(event.target.value)}
        />
        <div className="mt-1 flex gap-1.5">
          <button type="submit" className="btn btn-primary">
            Send reply
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => ask.reject('The person using the playground rejected the sampling request.')}
          >
            Reject
          </button>
        </div>
      </form>
    </>
  );
}

/** The roots last given, offered again: a server may ask each time something changes. */
let lastRoots = '';

function Roots({ ask }: { ask: Extract<ServerAsk, { kind: 'roots' }> }) {
  const [text, setText] = useState(lastRoots);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  return (
    <form
      aria-label="List roots"
      onSubmit={(event) => {
        event.preventDefault();
        const uris = text
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        // MCP spec "Roots": each root's uri MUST be a file:// URI.
        const bad = uris.find((uri) => !uri.startsWith('file://'));
        if (bad) {
          setError(`"${bad}" is not a file:// URI. Roots are folders, such as file:///home/me/project.`);
          return;
        }
        lastRoots = text;
        ask.answer({
          roots: uris.map((uri) => ({ uri, name: uri.split('/').filter(Boolean).pop() ?? uri })),
        });
      }}
    >
      <label className="field-label" htmlFor={id}>
        Roots, one file:// URI a line (leave empty for none)
      </label>
      <textarea
        id={id}
        className="input min-h-14 font-mono text-xs"
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => setText(event.target.value)}
      />
      {error ? (
        <p id={`${id}-error`} className="text-[11px] text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary mt-1">
        Send roots
      </button>
    </form>
  );
}

const TITLES: Record<ServerAsk['kind'], string> = {
  elicitation: 'The server asks you (elicitation)',
  sampling: 'The server asks for a model reply (sampling)',
  roots: 'The server asks for your roots (roots/list)',
};

/** Requests the server sent to this client, each answered by the person (MCP spec "Client Features"). */
export function ServerAsks({ asks }: { asks: ServerAsk[] }) {
  const list = useRef<HTMLDivElement>(null);
  const newest = asks.at(-1)?.id;
  // A call waits on the person: bring the question into view, without taking the focus from where it is.
  useEffect(() => {
    if (newest !== undefined) list.current?.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }, [newest]);
  return (
    <div ref={list} aria-live="polite">
      {asks.map((ask) => (
        <section
          key={ask.id}
          aria-label={TITLES[ask.kind]}
          className="mb-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950/40"
        >
          <h4 className="mb-1 text-xs font-semibold">{TITLES[ask.kind]}</h4>
          {ask.kind === 'elicitation' ? (
            <Elicitation ask={ask} />
          ) : ask.kind === 'sampling' ? (
            <Sampling ask={ask} />
          ) : (
            <Roots ask={ask} />
          )}
        </section>
      ))}
    </div>
  );
}
