import { useEffect, useRef, useState } from 'react';
import { useFilterLanguage } from '../filter-hooks';

/** The filter language at a glance: syntax and every field with an example to try. */
export function FilterHelp({ onExample }: { onExample: (example: string) => void }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const language = useFilterLanguage();
  const shown = open && language.data !== undefined;
  // Opened, the help takes the focus (a screen reader reads it, Tab walks its examples); Esc gives it back.
  useEffect(() => {
    if (shown) panel.current?.focus();
  }, [shown]);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent) {
        if (event.key !== 'Escape') return;
        setOpen(false);
        button.current?.focus();
      } else if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div ref={box} className="relative">
      <button
        ref={button}
        type="button"
        aria-label="Filter help"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="grid size-6 place-items-center rounded text-slate-500 hover:bg-slate-100 hover:text-slate-700 dark:hover:bg-slate-800 dark:hover:text-slate-200"
      >
        ?
      </button>
      {shown && language.data ? (
        <div
          ref={panel}
          tabIndex={-1}
          role="dialog"
          aria-label="Filter language"
          className="absolute top-7 right-0 z-40 max-h-[70vh] w-[min(560px,calc(100vw-1.5rem))] overflow-auto rounded-md border border-slate-200 bg-white p-3 text-xs shadow-xl dark:border-slate-700 dark:bg-slate-900"
        >
          <ul className="mb-3 list-disc space-y-1 pl-4 text-slate-600 dark:text-slate-300">
            {language.data.syntax.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <table className="w-full">
            <tbody>
              {language.data.fields.map((field) => (
                <tr key={field.name} className="border-t border-slate-100 align-top dark:border-slate-800">
                  <td className="py-1 pr-2 font-mono font-medium">{field.name}</td>
                  <td className="py-1 pr-2 text-slate-600 dark:text-slate-400">{field.help}</td>
                  <td className="py-1">
                    {field.examples
                      .filter((example) => !example.includes('…'))
                      .slice(0, 1)
                      .map((example) => (
                        <button
                          key={example}
                          type="button"
                          onClick={() => {
                            setOpen(false);
                            onExample(example);
                            button.current?.focus();
                          }}
                          className="rounded bg-slate-100 px-1 font-mono whitespace-nowrap hover:bg-sky-100 dark:bg-slate-800 dark:hover:bg-sky-900"
                        >
                          {example}
                        </button>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
