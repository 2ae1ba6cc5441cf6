import { GatewayError } from '../core/errors.js';
import type { Registry } from '../registry/registry.js';
import type { ServerConfig } from '../registry/schema.js';
import { inScope, type Scope } from './scope.js';

/**
 * The registry as a principal with a server scope sees it: only its servers are listed or found, and it
 * may only change those. A server outside the scope answers as one that does not exist (404, listing only
 * the visible names), so a scoped token cannot learn what else is registered; adding one outside the
 * scope is refused (403) before the registry is asked, so that "already exists" cannot leak a name either.
 */
export function scopedRegistry(registry: Registry, scope: () => Scope): Registry {
  const visibleNames = () => {
    const servers = scope();
    return servers === null ? registry.names() : registry.names().filter((name) => servers.includes(name));
  };
  const unknown = (name: string) => {
    const names = visibleNames();
    return new GatewayError(
      404,
      `no server named "${name}"; registered: ${names.length > 0 ? names.join(', ') : '(none)'}`,
    );
  };
  /** For changes: the name must be in scope and registered, or it is unknown. */
  const known = (name: string) => {
    if (!inScope(scope(), name) || registry.get(name) === undefined) throw unknown(name);
  };
  const overrides: Partial<Registry> = {
    get: (name: string) => (inScope(scope(), name) ? registry.get(name) : undefined),
    names: visibleNames,
    add: (name: string, entry: unknown): ServerConfig => {
      const servers = scope();
      if (!inScope(servers, name)) {
        throw new GatewayError(
          403,
          `This token may only act on the servers ${servers?.join(', ')}; "${name}" is not one of them. Ask the gateway's owner for a token that covers it.`,
        );
      }
      return registry.add(name, entry);
    },
    replace: (name: string, entry: unknown): ServerConfig => {
      known(name);
      return registry.replace(name, entry);
    },
    remove: (name: string): void => {
      known(name);
      registry.remove(name);
    },
  };
  // A Proxy rather than a subclass: the registry keeps its state in private fields, which only the
  // instance itself can read, so everything not overridden runs on the real registry.
  return new Proxy(registry, {
    get(target, property) {
      if (property === 'servers') {
        const servers = scope();
        return servers === null
          ? target.servers
          : new Map([...target.servers].filter(([name]) => servers.includes(name)));
      }
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof Registry];
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
