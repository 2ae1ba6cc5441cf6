import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { isUnauthorized } from './api';
import { SESSION_KEY } from './session';
import './styles.css';
import { applyTheme, initialTheme } from './theme';

applyTheme(initialTheme());

const queryClient: QueryClient = new QueryClient({
  // Any 401 (a revoked or expired token, a session ended elsewhere) asks who is signed in again, so the
  // sign-in screen replaces the app at once rather than a screen full of errors.
  queryCache: new QueryCache({
    onError: (error, query) => {
      // The session's own 401 is the answer: asking again would only ask again.
      if (query.queryKey[0] === SESSION_KEY[0] || !isUnauthorized(error)) return;
      void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    },
  }),
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
