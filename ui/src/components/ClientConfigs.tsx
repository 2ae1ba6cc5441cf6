import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { type ClientConfig, type ConfigTarget, clientConfigs } from '../client-configs';
import { onTabListKey } from '../tabs';
import type { Status } from '../types';
import { Snippet } from './EmptyState';

/** Tabs of ready-to-paste client configurations for one server. */
export function ClientConfigs({
  target,
  registryPath,
}: {
  target: ConfigTarget;
  registryPath: string | null;
}) {
  // Shares the header's status query: the gateway says which command runs its CLI from here.
  const status = useQuery({ queryKey: ['status'], queryFn: () => api<Status>('/api/status') });
  const configs = clientConfigs(target, registryPath, status.data?.command, status.data?.proxyAuth);
  const [chosen, setChosen] = useState(configs[0]?.id);
  const config = configs.find((c) => c.id === chosen) ?? (configs[0] as ClientConfig);
  return (
    <section aria-label="Client configuration">
      <div
        role="tablist"
        aria-label="Clients"
        className="mb-2 flex flex-wrap gap-1"
        onKeyDown={(event) =>
          onTabListKey(
            event,
            configs.map((c) => c.id),
            config.id,
            setChosen,
          )
        }
      >
        {configs.map((c) => (
          <button
            key={c.id}
            type="button"
            role="tab"
            aria-selected={c.id === config.id}
            tabIndex={c.id === config.id ? 0 : -1}
            onClick={() => setChosen(c.id)}
            className={`rounded-md px-2 py-0.5 text-xs ${c.id === config.id ? 'bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'}`}
          >
            {c.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={config.label}>
        <p className="mb-1 text-[11px] text-slate-500">In {config.where}:</p>
        <Snippet text={config.text} />
        {config.note ? <p className="mt-1.5 text-[11px] text-slate-500">{config.note}</p> : null}
      </div>
    </section>
  );
}
