import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { isUnauthorized } from './api';
import { SESSION_KEY } from './session';
import './styles.css';
import { applyTheme, initialTheme } from './theme';

applyTheme(initialTheme());

/**
 * A 401 anywhere means the session ended (a revoked or expired token, an idle timeout, a time limit, a
 * sign-out elsewhere, a restart): asking who is signed in again brings up the sign-in screen, which says
 * so, rather than an error in one panel. The status's and session's own 401s are the answer already.
 */
function onUnauthorized(error: unknown, query?: { queryKey: readonly unknown[] }): void {
  if (!isUnauthorized(error)) return;
  const key = query?.queryKey[0];
  if (key === 'status' || key === SESSION_KEY[0]) return;
  void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
  void queryClient.invalidateQueries({ queryKey: ['status'] });
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onUnauthorized }),
  mutationCache: new MutationCache({ onError: (error) => onUnauthorized(error) }),
  defaultOptions: {
    queries: {
      // Live data arrives over the event stream; nothing here polls.
      refetchOnWindowFocus: false,
      retry: (count, error) => !isUnauthorized(error) && count < 2,
    },
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
