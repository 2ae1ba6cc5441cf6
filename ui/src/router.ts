import { useEffect, useState } from 'react';

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
