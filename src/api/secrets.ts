import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import { SecretKeyError } from '../secrets/secret-key.js';
import { type SecretStore, SecretStoreError, secretNameProblem } from '../secrets/secret-store.js';
import { jsonObjectBody } from './errors.js';

/** The most a secret value may hold: tokens and keys, not files. */
const MAX_VALUE_LENGTH = 64 * 1024;

/** A store that cannot be read or written is the owner's setup to fix (a key, permissions): 409, said plainly. */
function storeFailure(error: unknown): never {
  if (error instanceof SecretStoreError || error instanceof SecretKeyError) {
    throw new GatewayError(409, `${error.message}.`.replace(/\.\.$/, '.'));
  }
  throw error;
}

/**
 * `GET /api/secrets` (names only), `PUT /api/secrets/<name>` with `{"value": "..."}`, `DELETE
 * /api/secrets/<name>`: the secret store that mcp.json refers to as `${secret:NAME}`. No route ever
 * returns a value; the answer to a write is the reference to put in the config.
 */
export function secretsRoutes(store: SecretStore): Hono {
  const app = new Hono();

  app.get('/', (c) => {
    try {
      return c.json({ path: store.path, names: store.names() }, 200, { 'cache-control': 'no-store' });
    } catch (error) {
      storeFailure(error);
    }
  });

  app.put('/:name', async (c) => {
    const name = c.req.param('name');
    const problem = secretNameProblem(name);
    if (problem) throw new GatewayError(400, `${problem}.`);
    const { value } = await jsonObjectBody(c);
    if (typeof value !== 'string' || value === '') {
      throw new GatewayError(400, 'Send the secret as {"value": "..."}, a non-empty string.');
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw new GatewayError(413, `A secret value may hold at most ${MAX_VALUE_LENGTH} characters.`);
    }
    try {
      store.set(name, value);
    } catch (error) {
      storeFailure(error);
    }
    return c.json({ name, reference: `\${secret:${name}}` });
  });

  app.delete('/:name', (c) => {
    const name = c.req.param('name');
    let removed: boolean;
    try {
      removed = store.remove(name);
    } catch (error) {
      storeFailure(error);
    }
    if (!removed) throw new GatewayError(404, `No secret named "${name}".`);
    return c.json({ deleted: name });
  });

  return app;
}
