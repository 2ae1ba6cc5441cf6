import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ActivityProvider } from './activity';
import { ApiError, api, isUnauthorized } from './api';
import { FaultBanner } from './components/FaultBanner';
import { Header } from './Header';
import { useLocation } from './router';
import { Audit } from './screens/Audit';
import { Breakpoints } from './screens/Breakpoints';
import { Compare } from './screens/Compare';
import { Faults } from './screens/Faults';
import { Insights } from './screens/Insights';
import { Servers } from './screens/Servers';
import { Sessions } from './screens/Sessions';
import { SignIn } from './screens/SignIn';
import { Tokens } from './screens/Tokens';
import { Traffic } from './screens/Traffic';
import { useSession } from './session';
import type { Status } from './types';

const TITLES: Record<string, string> = {
  traffic: 'Traffic',
  sessions: 'Sessions',
  servers: 'Servers',
  insights: 'Insights',
  breakpoints: 'Breakpoints',
  tokens: 'Tokens',
  audit: 'Audit',
  compare: 'Compare',
  faults: 'Faults',
};

function sectionOf(url: URL): string {
  const section = url.pathname.split('/')[2] ?? '';
  return section in TITLES ? section : 'traffic';
}

/** The screen for a path under /ui (the gateway serves index.html for all of them). */
function Screen({ url }: { url: URL }) {
  const [, , , ...rest] = url.pathname.split('/');
  const section = sectionOf(url);
  const param = rest.length > 0 ? decodeURIComponent(rest.join('/')) : null;
  switch (section) {
    case 'sessions':
      return <Sessions url={url} sessionId={param} />;
    case 'servers':
      return <Servers url={url} name={param} />;
    case 'insights':
      return <Insights url={url} />;
    case 'breakpoints':
      return <Breakpoints />;
    case 'tokens':
      return <Tokens />;
    case 'audit':
      return <Audit url={url} />;
    case 'compare':
      return <Compare url={url} />;
    case 'faults':
      return <Faults />;
    default:
      return <Traffic url={url} />;
  }
}

export function App() {
  const url = useLocation();
  const status = useQuery({ queryKey: ['status'], queryFn: () => api<Status>('/api/status') });
  const session = useSession();
  const title = TITLES[sectionOf(url)] ?? 'Traffic';
  // Each screen names itself in the tab title too (WCAG 2.4.2).
  useEffect(() => {
    document.title = `${title} · MCP Gateway`;
  }, [title]);
  if (status.isPending || session.isPending) return null;
  if (isUnauthorized(status.error) || isUnauthorized(session.error)) {
    const ended = [status.error, session.error].some(
      (error) => error instanceof ApiError && error.body?.session === 'ended',
    );
    return <SignIn invalidToken={url.searchParams.get('signin') === 'invalid-token'} sessionEnded={ended} />;
  }
  return (
    <ActivityProvider>
      <div className="flex h-full flex-col bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100">
        {/* First in the Tab order on every screen: past the header to the screen itself (WCAG 2.4.1). */}
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <Header url={url} />
        <FaultBanner />
        <main id="main" tabIndex={-1} className="min-h-0 flex-1 outline-none">
          {/* Every screen has one top-level heading, its name (the header shows it as the current tab). */}
          <h1 className="sr-only">{title}</h1>
          <Screen url={url} />
        </main>
      </div>
    </ActivityProvider>
  );
}
