#!/usr/bin/env -S node --max-semi-space-size=4
// A small young generation keeps the gateway's memory low and flat; its objects live for one request.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`mcp-gateway: unexpected error: ${error?.stack ?? error}\n`);
  process.exit(1);
});
