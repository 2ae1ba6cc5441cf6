import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { isUnauthorized } from './api';
import './styles.css';
import { applyTheme, initialTheme } from './theme';

applyTheme(initialTheme());

/**
 * A 401 anywhere means the session ended (idle timeout, time limit, sign-out elsewhere, restart): asking
 * for the status again brings up the sign-in screen, which says so, rather than an error in one panel.
 */
function onUnauthorized(error: unknown, query?: { queryKey: readonly unknown[] }): void {
  if (!isUnauthorized(error) || query?.queryKey[0] === 'status') return;
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
