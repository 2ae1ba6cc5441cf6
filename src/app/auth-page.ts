/**
 * A page a person sees in the browser after the provider sent them back (a refused or failed sign-in): a
 * link they followed deserves a page that says what happened and what to do, not a JSON body.
 */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function authPage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · MCP Gateway</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; background: #f8fafc; color: #0f172a; margin: 0; }
main { max-width: 34rem; margin: 10vh auto; background: #fff; border: 1px solid #e2e8f0; border-radius: 12px; padding: 2rem; }
h1 { font-size: 1.25rem; margin: 0 0 .75rem; }
a { color: #1d4ed8; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p role="alert">${escapeHtml(message)}</p>
<p><a href="/ui">Back to the sign-in screen</a></p>
</main>
</body>
</html>
`;
}

/** Headers for such a page: never cached, nothing but its own inline style allowed. */
export const AUTH_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
} as const;
