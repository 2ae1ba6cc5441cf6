import { z } from 'zod';

/**
 * Output schemas of the management tools (MCP spec, "Tools: Output Schema"): clients and models learn
 * the shape of `structuredContent` from them, and the SDK checks every result against them. Nested
 * objects are loose: they are the REST API's JSON, documented there, and may gain fields.
 */

const health = z.looseObject({
  state: z.string(),
  detail: z.string().nullable(),
  since: z.string().nullable(),
  checkedAt: z.string().nullable(),
});

export const serverSchema = z.looseObject({
  name: z.string(),
  type: z.enum(['http', 'stdio']),
  proxyUrl: z.string(),
  config: z.record(z.string(), z.unknown()),
  status: z.looseObject({ state: z.string() }).nullable(),
  health,
  messages: z.number(),
  errors: z.number(),
  sessions: z.number(),
  lastActivity: z.string().nullable(),
});

export const recordBriefSchema = z.looseObject({
  id: z.number(),
  time: z.string(),
  server: z.string(),
  sessionId: z.string().nullable(),
  direction: z.string(),
  kind: z.string(),
  method: z.string().nullable(),
  summary: z.string(),
  durationMs: z.number().nullable(),
});

export const recordSchema = recordBriefSchema.extend({ message: z.unknown() });

export const sessionSchema = z.looseObject({
  sessionId: z.string(),
  server: z.string(),
  messages: z.number(),
  errors: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string().nullable(),
});

const aggregate = z.looseObject({
  messages: z.number(),
  requests: z.number(),
  errors: z.number(),
  errorRate: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  tokens: z.number(),
});

export const statsSchema = {
  from: z.number(),
  to: z.number(),
  bucketMs: z.number(),
  totals: aggregate,
  groups: z.array(aggregate.extend({ server: z.string().nullable(), method: z.string().nullable() })),
  series: z.array(aggregate.extend({ start: z.number() })),
};

export const pageSchema = {
  hasMore: z.boolean(),
  nextCursor: z.string().nullable(),
};

/** A launch held for the owner's approval (`GET /api/servers/pending` shows the same). */
export const pendingSchema = z.looseObject({
  name: z.string(),
  action: z.enum(['add', 'update']),
  launch: z.looseObject({
    commandLine: z.string(),
    envNames: z.array(z.string()),
    cwd: z.string().nullable(),
  }),
  requestedAt: z.string(),
});
