import type { ReactNode } from 'react';

/** A list of named items on the left, the chosen one's panel on the right. */
export function ItemPicker<T>({
  label,
  items,
  keyOf,
  title,
  subtitle,
  chosen,
  onChoose,
  children,
}: {
  label: string;
  items: T[];
  keyOf: (item: T) => string;
  title: (item: T) => string;
  subtitle?: (item: T) => string | undefined;
  chosen: string | null;
  onChoose: (key: string) => void;
  children: ReactNode;
}) {
  return (
    <div className="grid gap-3 md:grid-cols-[minmax(10rem,16rem)_1fr]">
      <ul aria-label={label} className="flex max-h-96 flex-col gap-0.5 overflow-auto">
        {items.map((item) => {
          const key = keyOf(item);
          const sub = subtitle?.(item);
          return (
            <li key={key}>
              <button
                type="button"
                aria-pressed={chosen === key}
                onClick={() => onChoose(key)}
                className={`w-full rounded px-2 py-1 text-left text-xs ${chosen === key ? 'bg-slate-200 font-medium dark:bg-slate-800' : 'hover:bg-slate-100 dark:hover:bg-slate-900'}`}
              >
                <span className="block truncate font-mono">{title(item)}</span>
                {sub ? (
                  <span className="block truncate text-[11px] text-slate-500">
                    <span className="sr-only">, </span>
                    {sub}
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ul>
      <div className="min-w-0">{children}</div>
    </div>
  );
}
