import { hostname } from 'node:os';

/** Longest instance name: it is shown in lists and sent in every commit's NOTIFY payload (8000 bytes at most). */
const MAX_INSTANCE_LENGTH = 100;

/**
 * Checks an instance name (`--instance`, MCP_GATEWAY_INSTANCE): the name every record this gateway
 * captures carries in a shared store, and that `instance:` filters on. `source` names where it came from.
 * Control characters are refused: the name is printed in terminals and parsed back from notifications.
 */
export function parseInstance(value: string, source: string): string {
  const name = value.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (name === '' || name.length > MAX_INSTANCE_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new Error(
      // Quoted as JSON: a control character in it is shown escaped, not sent to the terminal.
      `${source} ${JSON.stringify(value.slice(0, 40))} is not an instance name: use 1 to ${MAX_INSTANCE_LENGTH} printable ` +
        'characters, such as laptop-1 or ci-runner (leave it out for <hostname>:<port>)',
    );
  }
  return name;
}

/** The name of a gateway nobody named: this machine and the port it listens on, unique on a network. */
export function defaultInstance(port: number): string {
  return `${hostname()}:${port}`;
}
