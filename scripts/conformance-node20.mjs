// Lets the official MCP conformance suite (@modelcontextprotocol/conformance) run on Node 20.
//
// Its bundle imports `globSync` from `fs`, which Node added in 22.0, so on Node 20 the import fails before
// any scenario runs. Loaded with `node --import ./scripts/conformance-node20.mjs`, this registers a resolve
// hook (node:module `register`) that hands that package alone an `fs` with a small `globSync` added. On a
// Node that has `fs.globSync`, it does nothing. Nothing under node_modules is changed.
import fs from 'node:fs';
import { register } from 'node:module';

if (typeof fs.globSync !== 'function') register('./conformance-node20-hooks.mjs', import.meta.url);
