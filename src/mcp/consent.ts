import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ElicitResultSchema,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { type LaunchSummary, launchText } from '../ops/launch.js';
import type { PendingServer, Requester } from '../ops/pending-servers.js';
import type { AskConsent, ChangeOutcome } from '../ops/server-changes.js';

/** A person may take a while to read a command line; the tool call waits for them this long. */
const CONSENT_TIMEOUT_MS = 10 * 60 * 1000;

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Who is asking: the client's own name from `initialize` and the HTTP user agent. */
export function requesterOf(server: McpServer, extra: ToolExtra): Requester {
  const client = server.server.getClientVersion();
  const userAgent = extra.requestInfo?.headers['user-agent'];
  return {
    via: 'management MCP server (/gateway/mcp)',
    client: client ? `${client.name} ${client.version}`.trim() : null,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
  };
}

export function consentMessage(name: string, action: 'add' | 'update', launch: LaunchSummary): string {
  const what =
    action === 'add'
      ? `An MCP client asks the gateway to add the stdio server "${name}", which runs this program on your machine as your user:`
      : `An MCP client asks the gateway to change how the stdio server "${name}" is started; it would run this program on your machine as your user:`;
  return `${what}\n\n${launchText(launch)}\n\nRun it only if you know and trust this command.`;
}

/**
 * Asks the person at the client through elicitation (MCP 2025-11-25, "Elicitation", form mode): a message
 * showing the launch and one boolean to confirm. Only a client that declared the `elicitation` capability
 * can be asked (an empty object means form mode, for clients of 2025-06-18); for any other client this is
 * null and the launch waits for the owner in the web UI. The request goes out on the tool call's own
 * stream (`sendRequest` relates it to the call), so a session with SSE responses is needed to carry it.
 */
export function elicitConsent(server: McpServer, extra: ToolExtra): AskConsent | null {
  const elicitation = server.server.getClientCapabilities()?.elicitation;
  if (!elicitation) return null;
  const declared = elicitation as { form?: object; url?: object };
  if (declared.form === undefined && declared.url !== undefined) return null;
  return async ({ name, action, launch }) => {
    try {
      const result = await extra.sendRequest(
        {
          method: 'elicitation/create',
          params: {
            ...(declared.form ? { mode: 'form' as const } : {}),
            message: consentMessage(name, action, launch),
            requestedSchema: {
              type: 'object',
              properties: {
                confirm: {
                  type: 'boolean',
                  title: `Run ${launch.command}`,
                  description: `Start: ${launch.commandLine}`,
                  default: false,
                },
              },
              required: ['confirm'],
            },
          },
        },
        ElicitResultSchema,
        { timeout: CONSENT_TIMEOUT_MS, signal: extra.signal },
      );
      if (result.action !== 'accept') return { action: result.action };
      return result.content?.confirm === true ? { action: 'accept' } : { action: 'decline' };
    } catch (error) {
      return { action: 'error', message: (error as Error).message };
    }
  };
}

/** What the tool result says when the person did not allow the launch. */
export function refusalText(outcome: Extract<ChangeOutcome, { kind: 'refused' }>, name: string): string {
  const { answer } = outcome;
  const why =
    answer.action === 'decline'
      ? 'The user declined to run it'
      : answer.action === 'cancel'
        ? 'The user dismissed the confirmation without allowing it'
        : `The user's confirmation could not be obtained (${'message' in answer ? answer.message : answer.action})`;
  return `${why}, so nothing was registered or started for "${name}". Command line: ${outcome.launch.commandLine}`;
}

/** What the tool result says while a launch waits for the owner. */
export function pendingText(pending: PendingServer, approveAt: string): string {
  return [
    `"${pending.name}" was NOT ${pending.action === 'add' ? 'added' : 'changed'} yet: starting a program needs the owner's approval, and this client cannot ask the user directly (it did not declare the elicitation capability).`,
    `The owner must approve it in the gateway's web UI: ${approveAt} (Servers, "Awaiting approval"). Until then nothing runs${pending.action === 'update' ? ' and the server keeps running as it was' : ''}.`,
    launchText(pending.launch),
  ].join('\n');
}
