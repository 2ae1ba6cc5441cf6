import { type ReactNode, useMemo, useState } from 'react';

/**
 * Pretty, collapsible, searchable JSON. Objects and arrays fold; a search highlights matching keys and
 * values and opens the branches that contain them.
 */
export function JsonView({ value, search = '' }: { value: unknown; search?: string }) {
  const needle = search.trim().toLowerCase();
  return (
    <div className="font-mono text-xs leading-5">
      <Node value={value} name={null} path="" depth={0} needle={needle} last />
    </div>
  );
}

/** Each level indents this much; every line keeps a gutter for the fold toggle, so keys line up. */
const INDENT = 14;
const GUTTER = 'inline-block w-4 shrink-0';
/** Strings longer than this show their start, and the rest on request. */
const LONG_STRING = 2000;
const MANY_ENTRIES = 100;
/**
 * Branches deeper than this are shown as their JSON text: each level is a component and a stack frame,
 * and a hostile message may nest thousands of levels (the API gives those as text already).
 */
const MAX_DEPTH = 64;

/**
 * Whether a key or value under `value`, down to `levels` levels (what the viewer unfolds), holds `needle`.
 * Walked with an explicit stack, so no nesting can overflow it.
 */
function contains(value: unknown, needle: string, levels: number): boolean {
  if (!needle) return false;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, level] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') {
      if (String(item).toLowerCase().includes(needle)) return true;
      continue;
    }
    if (level >= levels) continue;
    for (const [key, child] of Object.entries(item as Record<string, unknown>)) {
      if (key.toLowerCase().includes(needle)) return true;
      stack.push([child, level + 1]);
    }
  }
  return false;
}

function DeepBranch({ value, depth, label }: { value: unknown; depth: number; label: ReactNode }) {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = Array.isArray(value) ? '[…]' : '{…}';
  }
  return (
    <div style={{ paddingLeft: depth * INDENT }} title="Nested too deep to fold: shown as JSON text">
      <span className={GUTTER} />
      {label}
      <span className="break-all text-slate-500">{text}</span>
    </div>
  );
}

function highlight(text: string, needle: string): ReactNode {
  if (!needle) return text;
  const index = text.toLowerCase().indexOf(needle);
  if (index === -1) return text;
  return (
    <>
      {text.slice(0, index)}
      <mark className="rounded bg-yellow-200 text-slate-950 dark:bg-yellow-300 dark:text-slate-950">
        {text.slice(index, index + needle.length)}
      </mark>
      {text.slice(index + needle.length)}
    </>
  );
}

function LongString({ value, needle }: { value: string; needle: string }) {
  const [whole, setWhole] = useState(false);
  const cut = !whole && value.length > LONG_STRING && !(needle && value.toLowerCase().includes(needle));
  return (
    <span className="break-all text-emerald-700 dark:text-emerald-400">
      "{highlight(cut ? value.slice(0, LONG_STRING) : value, needle)}
      {cut ? (
        <button type="button" className="mx-1 text-slate-500 underline" onClick={() => setWhole(true)}>
          …{(value.length - LONG_STRING).toLocaleString()} more characters
        </button>
      ) : null}
      "
    </span>
  );
}

function Primitive({ value, needle }: { value: unknown; needle: string }) {
  if (typeof value === 'string') return <LongString value={value} needle={needle} />;
  if (typeof value === 'number')
    return <span className="text-blue-700 dark:text-blue-400">{highlight(String(value), needle)}</span>;
  if (typeof value === 'boolean')
    return <span className="text-violet-700 dark:text-violet-400">{String(value)}</span>;
  return <span className="text-slate-500">null</span>;
}

function Node({
  value,
  name,
  path,
  depth,
  needle,
  last,
}: {
  value: unknown;
  name: string | null;
  /** Where this node is (params.arguments, content[0]): names its fold toggle, so each toggle's name is unique. */
  path: string;
  depth: number;
  needle: string;
  last: boolean;
}) {
  const isContainer = value !== null && typeof value === 'object';
  const entries = useMemo(
    () => (isContainer ? Object.entries(value as Record<string, unknown>) : []),
    [isContainer, value],
  );
  // Big payloads stay fast: long arrays and deep branches start folded.
  const [open, setOpen] = useState(depth < 4 && entries.length <= MANY_ENTRIES);
  const forcedOpen = needle !== '' && contains(value, needle, MAX_DEPTH - depth);
  const expanded = open || forcedOpen;
  const comma = last ? '' : ',';
  const label =
    name === null ? null : (
      <span className="text-slate-600 dark:text-slate-400">"{highlight(name, needle)}": </span>
    );
  if (isContainer && depth >= MAX_DEPTH) return <DeepBranch value={value} depth={depth} label={label} />;
  if (!isContainer) {
    return (
      <div style={{ paddingLeft: depth * INDENT }}>
        <span className={GUTTER} />
        {label}
        <Primitive value={value} needle={needle} />
        {comma}
      </div>
    );
  }
  const [openBracket, closeBracket] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div style={{ paddingLeft: depth * INDENT }}>
        <span className={GUTTER} />
        {label}
        {openBracket}
        {closeBracket}
        {comma}
      </div>
    );
  }
  return (
    <div>
      <div style={{ paddingLeft: depth * INDENT }}>
        <button
          type="button"
          onClick={() => setOpen(!expanded)}
          className={`${GUTTER} text-left text-slate-400 hover:text-slate-700`}
          aria-label={`${expanded ? 'Collapse' : 'Expand'} ${path || 'message'}`}
          aria-expanded={expanded}
        >
          {expanded ? '▾' : '▸'}
        </button>
        {label}
        {openBracket}
        {!expanded ? (
          <span className="text-slate-400">
            {' '}
            {Array.isArray(value) ? `${entries.length} items` : `${entries.length} keys`} {closeBracket}
            {comma}
          </span>
        ) : null}
      </div>
      {expanded ? (
        <>
          {entries.map(([key, child], index) => (
            <Node
              key={key}
              value={child}
              name={Array.isArray(value) ? null : key}
              path={Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key}
              depth={depth + 1}
              needle={needle}
              last={index === entries.length - 1}
            />
          ))}
          <div style={{ paddingLeft: depth * INDENT }}>
            <span className={GUTTER} />
            {closeBracket}
            {comma}
          </div>
        </>
      ) : null}
    </div>
  );
}
