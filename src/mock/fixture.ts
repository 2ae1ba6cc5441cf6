import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A mock fixture: what `mcp-gateway mock` needs to stand in for a server, taken from captured traffic.
 * The recorded answers are kept exactly as the server sent them (secrets redacted as capture stored
 * them), so a client sees the same results it saw from the real server.
 */
export const FIXTURE_FORMAT = 'mcp-gateway-mock-fixture';
export const FIXTURE_VERSION = 1;

/** Largest fixture file read: far beyond any session worth mocking, small enough to hold in memory. */
export const MAX_FIXTURE_BYTES = 64 * 1024 * 1024;

const jsonRpcError = z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() });

const exchangeSchema = z
  .object({
    method: z.string().min(1),
    params: z.unknown().optional(),
    result: z.unknown().optional(),
    error: jsonRpcError.optional(),
    /** The captured request this answer came from, for the person reading the fixture. */
    recordId: z.number().int().nullable().optional(),
  })
  .refine((e) => (e.result === undefined) !== (e.error === undefined), {
    message: 'an exchange needs exactly one of "result" or "error"',
  });

const fixtureSchema = z.object({
  format: z.literal(FIXTURE_FORMAT),
  version: z.literal(FIXTURE_VERSION),
  server: z.object({
    name: z.string(),
    serverInfo: z.object({ name: z.string().nullable(), version: z.string().nullable() }).nullable(),
    protocolVersion: z.string().nullable(),
  }),
  source: z.object({
    sessionId: z.string().nullable(),
    filter: z.string().nullable(),
    exportedAt: z.string(),
  }),
  /**
   * The opening: the answer to `initialize` (MCP 2025, Lifecycle "Initialization"), or to
   * `server/discover` for a recording of the sessionless era (MCP 2026-07-28, "Discovery").
   */
  handshake: z
    .object({
      method: z.enum(['initialize', 'server/discover']),
      params: z.unknown().optional(),
      result: z.record(z.string(), z.unknown()),
    })
    .nullable(),
  exchanges: z.array(exchangeSchema),
});

export type Fixture = z.infer<typeof fixtureSchema>;
export type Exchange = Fixture['exchanges'][number];
export type Handshake = NonNullable<Fixture['handshake']>;

/** A fixture that cannot be used, with what is wrong and what to do. */
export class FixtureError extends Error {
  override readonly name = 'FixtureError';
}

const EXPORT_HINT = 'make one with mcp-gateway mock export --from <session id> --out <file>';

/** Checks parsed JSON against the fixture format; the error names the first problem and where it is. */
export function parseFixture(value: unknown, where: string): Fixture {
  const head = value as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== FIXTURE_FORMAT) {
    throw new FixtureError(
      `${where} is not an mcp-gateway mock fixture (no "format": "${FIXTURE_FORMAT}"): ${EXPORT_HINT}`,
    );
  }
  if (head.version !== FIXTURE_VERSION) {
    throw new FixtureError(
      `${where} is a fixture of version ${JSON.stringify(head.version)}; this mcp-gateway reads version ${FIXTURE_VERSION}: export it again with this version`,
    );
  }
  const parsed = fixtureSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new FixtureError(
      `${where} is a damaged fixture: at ${path}, ${issue?.message ?? 'invalid'}. Export it again (${EXPORT_HINT})`,
    );
  }
  return parsed.data;
}

/** Reads and checks a fixture file. */
export function readFixtureFile(path: string): Fixture {
  let text: string;
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_FIXTURE_BYTES) {
      throw new FixtureError(
        `${path} is larger than ${MAX_FIXTURE_BYTES / 2 ** 20} MiB: export a smaller selection`,
      );
    }
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof FixtureError) throw error;
    throw new FixtureError(`cannot read fixture ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(`${path} is not JSON (${(error as Error).message}): ${EXPORT_HINT}`);
  }
  return parseFixture(value, path);
}
