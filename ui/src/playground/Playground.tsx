import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { onTabListKey } from '../tabs';
import { PLAYGROUND_CLIENT } from './client';
import { PromptsTab, ResourcesTab, TemplatesTab, ToolsTab } from './panels';
import { ServerAsks } from './ServerAsks';
import { usePlayground } from './usePlayground';

const TABS = ['tools', 'resources', 'templates', 'prompts'] as const;
type Tab = (typeof TABS)[number];
const LABELS: Record<Tab, string> = {
  tools: 'Tools',
  resources: 'Resources',
  templates: 'Resource templates',
  prompts: 'Prompts',
};
/** A server lists page by page (MCP spec "Pagination"); the playground reads this many pages at most. */
const MAX_PAGES = 20;

async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>,
) {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await fetchPage(cursor);
    items.push(...answer.items);
    cursor = answer.next;
    if (!cursor) break;
  }
  return items;
}

/** What the server lists in one tab, through the gateway; nothing is asked of a feature it lacks. */
function useListing(client: Client, server: string, generation: number, tab: Tab) {
  const capabilities = client.getServerCapabilities() ?? {};
  const offered =
    tab === 'tools'
      ? !!capabilities.tools
      : tab === 'prompts'
        ? !!capabilities.prompts
        : !!capabilities.resources;
  return useQuery({
    queryKey: ['playground', server, generation, tab],
    enabled: offered,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    queryFn: (): Promise<unknown[]> => {
      if (tab === 'tools')
        return allPages(async (cursor) => {
          const r = await client.listTools({ cursor });
          return { items: r.tools, next: r.nextCursor };
        });
      if (tab === 'resources')
        return allPages(async (cursor) => {
          const r = await client.listResources({ cursor });
          return { items: r.resources, next: r.nextCursor };
        });
      if (tab === 'templates')
        return allPages(async (cursor) => {
          const r = await client.listResourceTemplates({ cursor });
          return { items: r.resourceTemplates, next: r.nextCursor };
        });
      return allPages(async (cursor) => {
        const r = await client.listPrompts({ cursor });
        return { items: r.prompts, next: r.nextCursor };
      });
    },
  });
}

function TabBody({
  client,
  server,
  generation,
  tab,
}: {
  client: Client;
  server: string;
  generation: number;
  tab: Tab;
}) {
  const listing = useListing(client, server, generation, tab);
  if (!listing.isEnabled && !listing.data) {
    return (
      <p className="text-xs text-slate-500">
        This server does not offer {LABELS[tab].toLowerCase()} (its capabilities at initialize).
      </p>
    );
  }
  if (listing.error) {
    return (
      <p role="alert" className="text-xs text-red-700 dark:text-red-400">
        Listing {LABELS[tab].toLowerCase()} failed: {listing.error.message}
      </p>
    );
  }
  if (!listing.data) return <p className="text-xs text-slate-500">Listing {LABELS[tab].toLowerCase()}…</p>;
  if (listing.data.length === 0)
    return <p className="text-xs text-slate-500">The server lists no {LABELS[tab].toLowerCase()}.</p>;
  const items = listing.data as never[];
  if (tab === 'tools') return <ToolsTab client={client} tools={items} />;
  if (tab === 'resources') return <ResourcesTab client={client} resources={items} />;
  if (tab === 'templates') return <TemplatesTab client={client} templates={items} />;
  return <PromptsTab client={client} prompts={items} />;
}

function Note({ children }: { children: ReactNode }) {
  return <p className="text-xs text-slate-500">{children}</p>;
}

/**
 * The playground: the server's tools, resources, templates and prompts as it lists them through the
 * gateway, each usable by hand, with the requests the server sends back answered by the person. It is an
 * MCP client like any other (client.ts), so everything it does is captured under "mcp-gateway playground".
 */
export function Playground({ server }: { server: string }) {
  const { state, asks, generation, connect } = usePlayground(server);
  const [tab, setTab] = useState<Tab>('tools');
  const ids = useId();
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <p className="text-xs text-slate-500" aria-live="polite">
          {state.status === 'idle'
            ? 'Call this server’s tools, read its resources and get its prompts by hand, as an MCP client connected through the gateway (its traffic is captured like any client’s).'
            : state.status === 'connecting'
              ? 'Connecting through the gateway…'
              : state.status === 'ready'
                ? `Connected as “${PLAYGROUND_CLIENT.name}”; every call is captured in Traffic.`
                : null}
        </p>
        {state.status === 'idle' ? (
          <button type="button" className="btn btn-primary" onClick={connect}>
            Connect
          </button>
        ) : (
          <button type="button" className="btn btn-sm ml-auto" onClick={connect}>
            Reconnect
          </button>
        )}
      </div>
      {state.status === 'failed' ? (
        <p role="alert" className="mb-2 text-xs text-red-700 dark:text-red-400">
          Could not connect to this server through the gateway: {state.error}. Check its health above, then
          Reconnect.
        </p>
      ) : null}
      <ServerAsks asks={asks} />
      {state.status === 'ready' ? (
        <>
          <div
            role="tablist"
            aria-label="Playground"
            className="mb-2 flex flex-wrap gap-1"
            onKeyDown={(event) => onTabListKey(event, TABS, tab, setTab)}
          >
            {TABS.map((name) => (
              <button
                key={name}
                id={`${ids}-tab-${name}`}
                type="button"
                role="tab"
                aria-selected={tab === name}
                aria-controls={`${ids}-panel`}
                tabIndex={tab === name ? 0 : -1}
                onClick={() => setTab(name)}
                className={`rounded-md px-2 py-0.5 text-xs ${tab === name ? 'bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'}`}
              >
                {LABELS[name]}
              </button>
            ))}
          </div>
          <div id={`${ids}-panel`} role="tabpanel" aria-labelledby={`${ids}-tab-${tab}`}>
            <TabBody
              key={tab}
              client={state.connection.client}
              server={server}
              generation={generation}
              tab={tab}
            />
          </div>
        </>
      ) : state.status === 'connecting' ? (
        <Note>Opening an MCP session…</Note>
      ) : null}
    </div>
  );
}
