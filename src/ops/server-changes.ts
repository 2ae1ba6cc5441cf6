import { GatewayError } from '../core/errors.js';
import type { Registry } from '../registry/registry.js';
import { parseServerEntry } from '../registry/schema.js';
import { type LaunchSummary, launchToApprove } from './launch.js';
import type { PendingServer, PendingServers, Requester } from './pending-servers.js';

/** The person's answer to "run this?", asked through the client that requested it. */
export type ConsentAnswer =
  | { action: 'accept' }
  | { action: 'decline' | 'cancel' }
  | { action: 'error'; message: string };

/** Asks the person at the requesting client; null when that client cannot ask anyone. */
export type AskConsent = (question: {
  name: string;
  action: 'add' | 'update';
  launch: LaunchSummary;
}) => Promise<ConsentAnswer>;

export interface ServerChange {
  name: string;
  action: 'add' | 'update';
  /** The whole mcp.json entry wanted (for an update: the current entry with the changes applied). */
  entry: Record<string, unknown>;
  requestedBy: Requester;
}

export type ChangeOutcome =
  | { kind: 'applied'; launch: LaunchSummary | null }
  | { kind: 'pending'; pending: PendingServer }
  | { kind: 'refused'; answer: Exclude<ConsentAnswer, { action: 'accept' }>; launch: LaunchSummary };

export interface ServerChangeDeps {
  registry: Registry;
  pending: PendingServers;
}

/**
 * A change to the registry asked for by someone other than the owner (an agent through the management MCP
 * server). Nothing starts a program without the owner's consent: a new or changed stdio launch is confirmed
 * by the person at the client (elicitation) when `ask` is given, and held for approval in the web UI
 * otherwise. Changes that start no program apply at once. The entry is validated first, so nobody is asked
 * about something that would fail anyway.
 */
export async function requestServerChange(
  deps: ServerChangeDeps,
  change: ServerChange,
  ask: AskConsent | null,
): Promise<ChangeOutcome> {
  const { registry, pending } = deps;
  const { name, action, entry } = change;
  const parsed = parseServerEntry(name, entry);
  if (!parsed.ok) throw new GatewayError(400, parsed.problems.join('; '));
  const exists = () => registry.get(name) !== undefined;
  if (action === 'add' && exists()) {
    throw new GatewayError(
      409,
      `Server "${name}" already exists: change it with update_server, or remove_server first.`,
    );
  }
  if (action === 'update' && !exists()) {
    throw new GatewayError(404, `No server named "${name}". Call list_servers to see them.`);
  }
  const launch = launchToApprove(parsed.config, registry.get(name));
  const apply = () => (action === 'add' ? registry.add(name, entry) : registry.replace(name, entry));
  if (!launch) {
    apply();
    return { kind: 'applied', launch: null };
  }
  if (pending.get(name)) {
    throw new GatewayError(
      409,
      `A launch of "${name}" is already awaiting the owner's approval in the web UI; it must be approved or rejected first.`,
    );
  }
  if (!ask) return { kind: 'pending', pending: pending.add({ ...change, launch }) };
  const answer = await ask({ name, action, launch });
  if (answer.action !== 'accept') return { kind: 'refused', answer, launch };
  apply();
  return { kind: 'applied', launch };
}

/**
 * The owner approves a held launch: it is written to mcp.json (and so started) and no longer pending.
 * `seen` is the id of the request the owner looked at, so approving never applies a different one.
 */
export function approvePending(deps: ServerChangeDeps, name: string, seen?: string): PendingServer {
  // remove() answers the 404 that lists what is awaiting approval.
  const held = deps.pending.get(name) ?? deps.pending.remove(name);
  if (seen !== undefined && seen !== held.id) {
    throw new GatewayError(
      409,
      `The request to run "${name}" changed since it was shown: review the current one and approve it again.`,
    );
  }
  if (held.action === 'add') deps.registry.add(name, held.entry);
  else deps.registry.replace(name, held.entry);
  deps.pending.remove(name);
  return held;
}

/** The owner rejects a held launch: it is discarded and nothing runs. */
export function rejectPending(deps: ServerChangeDeps, name: string): PendingServer {
  return deps.pending.remove(name);
}
