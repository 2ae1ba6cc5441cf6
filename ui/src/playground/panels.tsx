import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CallToolResultSchema,
  type Prompt,
  type Resource,
  type ResourceTemplate,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { ContentItem, ResourceContents } from './ContentView';
import { stringArguments } from './form-model';
import { ItemPicker } from './ItemPicker';
import { SchemaForm } from './SchemaForm';
import type { Schema } from './schema-check';
import { ToolResult } from './ToolResult';
import { expandTemplate, templateVariables } from './uri-template';

/** A person may take minutes to answer an elicitation or sampling request the call triggers. */
const CALL_TIMEOUT_MS = 10 * 60_000;

function Failure({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <p role="alert" className="mt-2 text-xs text-red-700 dark:text-red-400">
      {message}
    </p>
  );
}

function Heading({
  title,
  subtitle,
  description,
}: {
  title: string;
  subtitle?: string | undefined;
  description?: string | undefined;
}) {
  return (
    <>
      <h4 className="font-mono text-sm font-semibold">{title}</h4>
      {subtitle ? <p className="text-xs">{subtitle}</p> : null}
      {description ? <p className="mb-2 whitespace-pre-wrap text-xs text-slate-500">{description}</p> : null}
    </>
  );
}

function useChosen<T>(items: T[], keyOf: (item: T) => string) {
  const [chosen, setChosen] = useState<string | null>(null);
  const key = chosen ?? (items[0] ? keyOf(items[0]) : null);
  return { key, item: items.find((i) => keyOf(i) === key), choose: setChosen };
}

function ToolPanel({ client, tool }: { client: Client; tool: Tool }) {
  const running = useRef<AbortController | null>(null);
  const call = useMutation({
    mutationFn: async (args: Record<string, unknown>) => {
      const controller = new AbortController();
      running.current = controller;
      const started = performance.now();
      // Not client.callTool: that throws away a result whose structuredContent breaks the outputSchema,
      // and the playground shows such a result with what is wrong in it.
      const result = await client.request(
        { method: 'tools/call', params: { name: tool.name, arguments: args } },
        CallToolResultSchema,
        { timeout: CALL_TIMEOUT_MS, signal: controller.signal },
      );
      return { result: result as Record<string, unknown>, ms: performance.now() - started };
    },
  });
  return (
    <div>
      <Heading title={tool.name} subtitle={tool.title} description={tool.description} />
      <SchemaForm
        schema={tool.inputSchema as Schema}
        label={`Arguments for ${tool.name}`}
        submitLabel={call.isPending ? 'Calling…' : 'Call'}
        busy={call.isPending}
        onSubmit={(args) => call.mutate(args)}
      >
        {call.isPending ? (
          <button
            type="button"
            className="btn"
            onClick={() =>
              // The SDK tells the server with notifications/cancelled (MCP spec "Cancellation").
              running.current?.abort(
                new Error(
                  'Stopped: the playground told the server to cancel this call (notifications/cancelled).',
                ),
              )
            }
          >
            Stop
          </button>
        ) : null}
      </SchemaForm>
      <Failure error={call.error} />
      {call.data ? (
        <ToolResult
          result={call.data.result}
          outputSchema={tool.outputSchema as Schema | undefined}
          read={(uri) => client.readResource({ uri })}
          ms={call.data.ms}
        />
      ) : null}
    </div>
  );
}

export function ToolsTab({ client, tools }: { client: Client; tools: Tool[] }) {
  const { key, item, choose } = useChosen(tools, (t) => t.name);
  return (
    <ItemPicker
      label="Tools"
      items={tools}
      keyOf={(t) => t.name}
      title={(t) => t.name}
      subtitle={(t) => t.title}
      chosen={key}
      onChoose={choose}
    >
      {item ? <ToolPanel key={item.name} client={client} tool={item} /> : null}
    </ItemPicker>
  );
}

function ReadResult({ read }: { read: { data?: { contents: unknown[] } | undefined; error: unknown } }) {
  return (
    <>
      <Failure error={read.error} />
      {read.data ? (
        <section aria-label="Contents" className="mt-2 flex flex-col gap-2">
          {read.data.contents.map((contents, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: contents are in order and never move
            <ResourceContents key={i} contents={contents as Record<string, unknown>} />
          ))}
        </section>
      ) : null}
    </>
  );
}

function ResourcePanel({ client, resource }: { client: Client; resource: Resource }) {
  const read = useMutation({ mutationFn: () => client.readResource({ uri: resource.uri }) });
  return (
    <div>
      <Heading title={resource.name} description={resource.description} />
      <p className="mb-2 font-mono text-xs">
        {resource.uri}
        {resource.mimeType ? ` · ${resource.mimeType}` : ''}
      </p>
      <button
        type="button"
        className="btn btn-primary"
        disabled={read.isPending}
        onClick={() => read.mutate()}
      >
        {read.isPending ? 'Reading…' : 'Read'}
      </button>
      <ReadResult read={read} />
    </div>
  );
}

export function ResourcesTab({ client, resources }: { client: Client; resources: Resource[] }) {
  const { key, item, choose } = useChosen(resources, (r) => r.uri);
  return (
    <ItemPicker
      label="Resources"
      items={resources}
      keyOf={(r) => r.uri}
      title={(r) => r.name}
      subtitle={(r) => r.uri}
      chosen={key}
      onChoose={choose}
    >
      {item ? <ResourcePanel key={item.uri} client={client} resource={item} /> : null}
    </ItemPicker>
  );
}

function TemplatePanel({ client, template }: { client: Client; template: ResourceTemplate }) {
  const read = useMutation({
    mutationFn: (values: Record<string, unknown>) =>
      client.readResource({ uri: expandTemplate(template.uriTemplate, values) }),
  });
  const variables = templateVariables(template.uriTemplate).map((name) => ({ name, required: true }));
  return (
    <div>
      <Heading title={template.name} description={template.description} />
      <p className="mb-2 font-mono text-xs">{template.uriTemplate}</p>
      <SchemaForm
        schema={stringArguments(variables)}
        label={`Variables of ${template.name}`}
        submitLabel={read.isPending ? 'Reading…' : 'Read'}
        busy={read.isPending}
        onSubmit={(values) => read.mutate(values)}
      />
      <ReadResult read={read} />
    </div>
  );
}

export function TemplatesTab({ client, templates }: { client: Client; templates: ResourceTemplate[] }) {
  const { key, item, choose } = useChosen(templates, (t) => t.uriTemplate);
  return (
    <ItemPicker
      label="Resource templates"
      items={templates}
      keyOf={(t) => t.uriTemplate}
      title={(t) => t.name}
      subtitle={(t) => t.uriTemplate}
      chosen={key}
      onChoose={choose}
    >
      {item ? <TemplatePanel key={item.uriTemplate} client={client} template={item} /> : null}
    </ItemPicker>
  );
}

function PromptPanel({ client, prompt }: { client: Client; prompt: Prompt }) {
  const get = useMutation({
    mutationFn: (args: Record<string, unknown>) =>
      client.getPrompt({ name: prompt.name, arguments: args as Record<string, string> }),
  });
  return (
    <div>
      <Heading title={prompt.name} subtitle={prompt.title} description={prompt.description} />
      <SchemaForm
        schema={stringArguments(prompt.arguments ?? [])}
        label={`Arguments for ${prompt.name}`}
        submitLabel={get.isPending ? 'Getting…' : 'Get prompt'}
        busy={get.isPending}
        onSubmit={(args) => get.mutate(args)}
      />
      <Failure error={get.error} />
      {get.data ? (
        <section aria-label="Messages" className="mt-2 flex flex-col gap-2">
          {get.data.description ? <p className="text-xs text-slate-500">{get.data.description}</p> : null}
          {get.data.messages.map((message, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages are in order and never move
            <div key={i} className="rounded border border-slate-200 p-2 dark:border-slate-800">
              <p className="text-[11px] font-semibold">{message.role}</p>
              <ContentItem item={message.content as Record<string, unknown>} />
            </div>
          ))}
        </section>
      ) : null}
    </div>
  );
}

export function PromptsTab({ client, prompts }: { client: Client; prompts: Prompt[] }) {
  const { key, item, choose } = useChosen(prompts, (p) => p.name);
  return (
    <ItemPicker
      label="Prompts"
      items={prompts}
      keyOf={(p) => p.name}
      title={(p) => p.name}
      subtitle={(p) => p.title}
      chosen={key}
      onChoose={choose}
    >
      {item ? <PromptPanel key={item.name} client={client} prompt={item} /> : null}
    </ItemPicker>
  );
}
