import { useQuery } from '@tanstack/react-query';

/** What the gateway offers besides the token link: `/ui/auth/methods` needs no session. */
interface SignInMethods {
  oidc: { label: string } | null;
}

async function signInMethods(): Promise<SignInMethods> {
  const response = await fetch('/ui/auth/methods', { credentials: 'same-origin' });
  return response.ok ? ((await response.json()) as SignInMethods) : { oidc: null };
}

/**
 * Shown when the UI has no valid session: explains where the sign-in link comes from, with this page's own
 * origin (the gateway may run on any port), and takes a pasted token. The form is a GET to `/ui` with
 * `?token=`, exactly what the printed link does: the gateway swaps it for a session cookie and takes it
 * out of the address bar again, so the form adds no second way in.
 */
export function SignIn({ invalidToken, sessionEnded }: { invalidToken: boolean; sessionEnded: boolean }) {
  const origin = window.location.origin;
  const methods = useQuery({ queryKey: ['sign-in-methods'], queryFn: signInMethods, retry: false });
  const oidc = methods.data?.oidc ?? null;
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
            That token is not this gateway's current token. Each start makes a new one, unless
            MCP_GATEWAY_TOKEN fixes the token: run <code>mcp-gateway ui</code> to print the current link.
          </p>
        ) : null}
        {sessionEnded && !invalidToken ? (
          <p
            className="mb-4 rounded bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
            role="alert"
          >
            Your session ended: it sat unused for too long, reached its time limit, or the gateway restarted.
            Sign in again.
          </p>
        ) : null}
        {oidc ? (
          <div className="mb-5">
            {/* A plain link: the gateway sends the browser on to the provider (authorization code + PKCE). */}
            <a
              href="/ui/auth/login"
              className="inline-block rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2"
            >
              Sign in with {oidc.label}
            </a>
            <p className="mt-3 text-sm text-slate-600 dark:text-slate-300">Or, with the gateway's token:</p>
          </div>
        ) : null}
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
          Open the <strong>Web UI</strong> link the gateway printed in its terminal when it started:
        </p>
        <pre className="mb-3 overflow-x-auto rounded bg-slate-100 p-3 text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200">
          {`  Web UI      ${origin}/ui?token=…`}
        </pre>
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-300">
          Lost the terminal? Run <code>mcp-gateway ui</code> (or <code>npm start -- ui</code> in the checkout)
          to print the link again, or paste the token here:
        </p>
        <form method="get" action="/ui" className="flex flex-wrap items-end gap-2">
          <label className="flex grow flex-col text-sm text-slate-700 dark:text-slate-200">
            Token
            <input
              name="token"
              type="password"
              required
              autoComplete="off"
              spellCheck={false}
              className="mt-1 rounded border border-slate-400 bg-white px-2 py-1 font-mono text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-950 dark:text-slate-100"
            />
          </label>
          <button
            type="submit"
            className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2"
          >
            Sign in
          </button>
        </form>
      </div>
    </main>
  );
}
