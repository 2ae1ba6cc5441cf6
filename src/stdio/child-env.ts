/**
 * The environment a stdio server starts with: a small inherited set plus the server's configured `env`.
 * A server should not see the gateway's whole environment (tokens, cloud credentials); it gets what a
 * program needs to run and find its tools. The list follows sudo's default env_keep, like the MCP SDK's
 * own stdio client, with the locale and temp dir added.
 */
export const INHERITED_ENV_VARS: readonly string[] =
  process.platform === 'win32'
    ? [
        'APPDATA',
        'COMSPEC',
        'HOMEDRIVE',
        'HOMEPATH',
        'LOCALAPPDATA',
        'PATH',
        'PATHEXT',
        'PROCESSOR_ARCHITECTURE',
        'PROGRAMFILES',
        'SYSTEMDRIVE',
        'SYSTEMROOT',
        'TEMP',
        'TMP',
        'USERNAME',
        'USERPROFILE',
        'WINDIR',
      ]
    : ['HOME', 'LANG', 'LC_ALL', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'TMPDIR', 'USER'];

export function childEnv(
  configured: Readonly<Record<string, string>>,
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV_VARS) {
    const value = parent[name];
    // A value starting with "()" is an exported shell function: code, not configuration (Shellshock).
    if (value === undefined || value.startsWith('()')) continue;
    env[name] = value;
  }
  return { ...env, ...configured };
}
