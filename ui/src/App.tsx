import { useQuery } from '@tanstack/react-query';
import { ActivityProvider } from './activity';
import { api, isUnauthorized } from './api';
import { Header } from './Header';
import { useLocation } from './router';
import { Insights } from './screens/Insights';
import { Servers } from './screens/Servers';
import { Sessions } from './screens/Sessions';
import { SignIn } from './screens/SignIn';
import { Traffic } from './screens/Traffic';
import type { Status } from './types';

/** The screen for a path under /ui (the gateway serves index.html for all of them). */
function Screen({ url }: { url: URL }) {
  const [, , section = 'traffic', ...rest] = url.pathname.split('/');
  const param = rest.length > 0 ? decodeURIComponent(rest.join('/')) : null;
  switch (section) {
    case 'sessions':
      return <Sessions url={url} sessionId={param} />;
    case 'servers':
      return <Servers url={url} name={param} />;
    case 'insights':
      return <Insights url={url} />;
    default:
      return <Traffic url={url} />;
  }
}

export function App() {
  const url = useLocation();
  const status = useQuery({ queryKey: ['status'], queryFn: () => api<Status>('/api/status') });
  if (status.isPending) return null;
  if (status.error && isUnauthorized(status.error)) {
    return <SignIn invalidToken={url.searchParams.get('signin') === 'invalid-token'} />;
  }
  return (
    <ActivityProvider>
      <div className="flex h-full flex-col bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100">
        <Header url={url} />
        <main className="min-h-0 flex-1">
          <Screen url={url} />
        </main>
      </div>
    </ActivityProvider>
  );
}
