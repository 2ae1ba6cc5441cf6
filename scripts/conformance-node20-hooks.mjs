// Module hooks (node:module `register`, loaded by conformance-node20.mjs): inside the conformance package,
// `fs` resolves to conformance-fs-shim.mjs, which is node:fs plus `globSync`. Every other module is untouched.
const PACKAGE = '/node_modules/@modelcontextprotocol/conformance/';
const SHIM = new URL('./conformance-fs-shim.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const fromConformance = context.parentURL?.includes(PACKAGE) ?? false;
  if (fromConformance && (specifier === 'fs' || specifier === 'node:fs'))
    return { url: SHIM, shortCircuit: true };
  return nextResolve(specifier, context);
}
