/** Shown when the UI has no valid session: explains where the sign-in link comes from. */
export function SignIn({ invalidToken }: { invalidToken: boolean }) {
  return (
    <main className="flex h-full items-center justify-center bg-slate-50 p-6 dark:bg-slate-950">
      <div className="max-w-lg rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="mb-2 text-xl font-semibold text-slate-900 dark:text-slate-100">
          Sign in to MCP Gateway
        </h1>
        {invalidToken ? (
          <p
            className="mb-4 rounded bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
            role="alert"
          >
            The token in that link is not this gateway's current token. Each start prints a new link, unless
            MCP_GATEWAY_TOKEN fixes the token.
          </p>
        ) : null}
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
          Open the <strong>Web UI</strong> link the gateway printed in its terminal when it started:
        </p>
        <pre className="mb-3 overflow-x-auto rounded bg-slate-100 p-3 text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200">
          {'  Web UI      http://localhost:3333/ui?token=…'}
        </pre>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          The link signs this browser in and the token leaves the address bar. Lost the terminal? Restart the
          gateway to get a new link, or start it with <code>MCP_GATEWAY_TOKEN</code> set and open{' '}
          <code>/ui?token=&lt;that token&gt;</code>.
        </p>
      </div>
    </main>
  );
}
