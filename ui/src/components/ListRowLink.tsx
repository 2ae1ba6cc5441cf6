import type { ReactNode } from 'react';
import { useKeptInView } from '../keyboard';
import { linkClick } from '../router';

/**
 * A row of a side list (servers, sessions) that opens its page: marked as the current page when it is the
 * one shown, and kept scrolled into view so that j/k never lose it.
 */
export function ListRowLink({
  path,
  selected,
  children,
  before,
}: {
  path: string;
  selected: boolean;
  children: ReactNode;
  /** A control beside the link (a compare checkbox), outside it: links cannot hold controls. */
  before?: ReactNode;
}) {
  const row = useKeptInView<HTMLAnchorElement>(selected);
  return (
    <li className={before ? 'flex items-stretch border-b border-slate-100 dark:border-slate-900' : undefined}>
      {before}
      <a
        ref={row}
        href={path}
        onClick={linkClick(path)}
        aria-current={selected ? 'page' : undefined}
        className={`block min-w-0 flex-1 border-b border-slate-100 px-3 py-2 text-xs dark:border-slate-900 ${selected ? 'bg-sky-50 dark:bg-sky-950/60' : 'hover:bg-slate-50 dark:hover:bg-slate-900'}`}
      >
        {children}
      </a>
    </li>
  );
}
