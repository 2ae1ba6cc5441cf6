/**
 * Methods whose payloads end up in a model's context window: tools, resources and prompts (and what a
 * server asks a client's model to sample). Their records carry a token estimate.
 */
const TOKEN_BEARING = new Set([
  'tools/call',
  'tools/list',
  'resources/read',
  'resources/list',
  'resources/templates/list',
  'prompts/get',
  'prompts/list',
  'sampling/createMessage',
]);

export function carriesTokens(method: string | null): boolean {
  return method !== null && TOKEN_BEARING.has(method);
}

/**
 * A rough token count: about four characters per token for English text and JSON, the rule of thumb
 * model vendors publish. Good enough to tell a 200-token result from a 20,000-token one.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
