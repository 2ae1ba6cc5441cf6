import { type MouseEvent, useEffect, useState } from 'react';

/** A small history-based router: the UI's state that is worth sharing (screen, filter) lives in the URL. */
export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(window.location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(window.location.href));
    window.addEventListener('popstate', update);
    window.addEventListener('mcp-navigate', update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener('mcp-navigate', update);
    };
  }, []);
  return url;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event('mcp-navigate'));
}

/** The current URL with some query parameters changed (null removes one). */
export function withParams(url: URL, changes: Record<string, string | null>): string {
  const next = new URL(url);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') next.searchParams.delete(name);
    else next.searchParams.set(name, value);
  }
  return `${next.pathname}${next.search}`;
}

/** onClick for an <a href>: plain clicks navigate in place; modified clicks open a tab as usual. */
export function linkClick(to: string) {
  return (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
}
