import type { ReactNode } from 'react';
import { CopyButton } from './CopyButton';

/** What to show where there is nothing yet: what it means and the next step. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="flex h-full items-start justify-center overflow-auto p-10">
      <div className="max-w-xl text-sm text-slate-600 dark:text-slate-300">
        <h2 className="mb-2 text-base font-semibold text-slate-900 dark:text-slate-100">{title}</h2>
        <div className="space-y-3">{children}</div>
      </div>
    </div>
  );
}

/** A command or snippet to paste, with a copy button. */
export function Snippet({ text, label = 'Copy' }: { text: string; label?: string }) {
  return (
    <div className="relative">
      <pre className="overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-2.5 pr-20 font-mono text-xs text-slate-800 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-200">
        {text}
      </pre>
      <span className="absolute top-1.5 right-1.5">
        <CopyButton text={text} label={label} />
      </span>
    </div>
  );
}
