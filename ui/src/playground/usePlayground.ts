import { useCallback, useEffect, useRef, useState } from 'react';
import { connectPlayground, type NewAsk, type PlaygroundConnection, type ServerAsk } from './client';

export type PlaygroundState =
  | { status: 'idle' }
  | { status: 'connecting' }
  | { status: 'ready'; connection: PlaygroundConnection }
  | { status: 'failed'; error: string };

/**
 * One MCP session with the server through the gateway while the playground is open; closed (HTTP DELETE)
 * when the person leaves the page or reconnects. Requests the server sends wait in `asks` until answered,
 * or until the server cancels them.
 */
export function usePlayground(server: string) {
  // 0 until the person connects: opening a server's page starts no session and captures nothing.
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<PlaygroundState>({ status: 'idle' });
  const [asks, setAsks] = useState<ServerAsk[]>([]);
  const nextId = useRef(0);

  const ask = useCallback((request: NewAsk, signal: AbortSignal) => {
    const id = ++nextId.current;
    const remove = () => setAsks((list) => list.filter((a) => a.id !== id));
    const wrap =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A) => {
        remove();
        fn(...args);
      };
    const entry = {
      ...request,
      id,
      answer: wrap(request.answer as (result: never) => void),
      ...(request.kind === 'sampling' ? { reject: wrap(request.reject) } : {}),
    } as ServerAsk;
    signal.addEventListener('abort', remove, { once: true });
    setAsks((list) => [...list, entry]);
  }, []);

  useEffect(() => {
    // Each connection is its own run: a late answer from an old one changes nothing.
    if (generation === 0) return;
    let open: PlaygroundConnection | null = null;
    let gone = false;
    setState({ status: 'connecting' });
    setAsks([]);
    connectPlayground(server, ask).then(
      (connection) => {
        if (gone) {
          void connection.close();
          return;
        }
        open = connection;
        setState({ status: 'ready', connection });
      },
      (error: unknown) => {
        if (!gone)
          setState({ status: 'failed', error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      gone = true;
      void open?.close();
    };
  }, [server, ask, generation]);

  return { state, asks, generation, connect: () => setGeneration((g) => g + 1) };
}
