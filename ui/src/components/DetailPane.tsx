import {
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

const KEY = 'mcp-gateway-detail-width';
const MIN_WIDTH = 360;
/** What the list beside the pane keeps, however wide the pane is dragged. */
const LIST_ROOM = 360;
const KEY_STEP = 40;

function clampWidth(width: number): number {
  return Math.round(Math.max(MIN_WIDTH, Math.min(width, window.innerWidth - LIST_ROOM)));
}

function savedWidth(): number | null {
  const saved = Number(localStorage.getItem(KEY));
  return Number.isFinite(saved) && saved > 0 ? clampWidth(saved) : null;
}

function saveWidth(width: number | null): void {
  if (width === null) localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, String(width));
}

/**
 * The message detail beside a list, with a handle on its left edge to make it wider or narrower (drag it,
 * or focus it and use the arrow keys; a double click goes back to the default). The width is remembered
 * across screens and visits, as split panes in editors and browser dev tools do.
 */
export function DetailPane({ children }: { children: ReactNode }) {
  const [width, setWidth] = useState<number | null>(savedWidth);
  /** The width on screen, for the separator's value: observed, not read during render (that forces a layout). */
  const [shownWidth, setShownWidth] = useState<number | null>(null);
  const pane = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = pane.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setShownWidth(element.offsetWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const resize = (next: number | null) => {
    setWidth(next);
    saveWidth(next);
  };
  const startDrag = (event: PointerEvent<HTMLDivElement>) => {
    const right = pane.current?.getBoundingClientRect().right;
    if (right === undefined || event.button !== 0) return;
    event.preventDefault();
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    let latest = width;
    const move = (moved: globalThis.PointerEvent) => {
      latest = clampWidth(right - moved.clientX);
      setWidth(latest);
    };
    const stop = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', stop);
      handle.removeEventListener('pointercancel', stop);
      saveWidth(latest);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', stop);
    handle.addEventListener('pointercancel', stop);
  };
  // The window splitter pattern's keys (ARIA Authoring Practices): arrows step, Home/End go to the ends.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = width ?? shownWidth ?? MIN_WIDTH;
    const next: Record<string, number> = {
      ArrowLeft: current + KEY_STEP,
      ArrowRight: current - KEY_STEP,
      Home: MIN_WIDTH,
      End: Number.POSITIVE_INFINITY,
    };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    resize(clampWidth(target));
  };

  return (
    <div
      ref={pane}
      style={width === null ? undefined : { width }}
      className={`relative shrink-0 border-l border-slate-200 dark:border-slate-800 ${
        width === null ? 'w-[46%] max-w-[820px] min-w-[380px]' : ''
      }`}
    >
      {/* biome-ignore lint/a11y/useSemanticElements: an <hr> cannot be dragged or take focus; a focusable separator is the ARIA splitter pattern. */}
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the detail panel"
        aria-valuenow={width ?? shownWidth ?? undefined}
        aria-valuemin={MIN_WIDTH}
        aria-valuemax={clampWidth(Number.POSITIVE_INFINITY)}
        tabIndex={0}
        title="Drag to resize (or use the arrow keys, Home and End); double-click for the default width"
        onPointerDown={startDrag}
        onKeyDown={onKeyDown}
        onDoubleClick={() => resize(null)}
        className="absolute inset-y-0 -left-1 z-10 w-2 cursor-col-resize hover:bg-sky-400/40 focus:bg-sky-400/40 focus-visible:-outline-offset-2"
      />
      {children}
    </div>
  );
}
