#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=20
// A small young generation keeps the gateway's memory low and flat; its objects live for one request.
// A slow-growing old generation is collected before the copies a large message leaves behind pile up
// (a 20 MB stdio answer: a peak near 220 MB instead of 300 MB; test/e2e/stdio-large-lines.test.ts).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`mcp-gateway: unexpected error: ${error?.stack ?? error}\n`);
  process.exit(1);
});
