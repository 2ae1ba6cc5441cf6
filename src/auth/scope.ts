import type { FieldTerm, Filter } from '../filter/ast.js';

/**
 * The servers a principal may see (`token create --servers a,b`); null means all of them. A scope is a
 * filter of the one filter language (`server=a,b`), ANDed into every query by the decorators in
 * scoped-reads.ts and scoped-registry.ts, so no route or tool can forget it.
 */
export type Scope = readonly string[] | null;

/** `server=a,b`: exact names (`=`), so a `*` in a name is never taken for a wildcard. */
export function scopeFilter(servers: readonly string[]): Filter {
  const term: FieldTerm = {
    type: 'field',
    field: 'server',
    op: '=',
    values: [...servers],
    raw: [...servers],
    negated: false,
    position: 0,
  };
  return { terms: [term] };
}

export function inScope(scope: Scope, server: string): boolean {
  return scope === null || scope.includes(server);
}
