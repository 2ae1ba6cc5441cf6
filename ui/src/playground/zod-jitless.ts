import { config } from 'zod/v4';

// The SDK parses messages with zod, which probes for eval to compile fast parsers; the UI's Content
// Security Policy forbids eval, and the browser reports even a caught probe as a violation. Asked here,
// in a module imported before the SDK, because some SDK schemas are parsed as its modules load.
config({ jitless: true });
