import { useEffect, useRef, useState } from 'react';
import type { LiveRecords } from '../live-records';

/** Bursts of traffic are told once per this long, not once per message (a screen reader would never catch up). */
const QUIET_MS = 2500;

function messages(count: number): string {
  return `${count.toLocaleString()} new message${count === 1 ? '' : 's'}`;
}

/**
 * Tells assistive technology what the live traffic view does without moving focus (WCAG 2.2 SC 4.1.3,
 * status messages): new rows as they arrive, at most once per QUIET_MS, with the newest one's method and
 * summary; while paused, how many are held; and pausing or resuming itself.
 */
export function TrafficAnnouncer({ live }: { live: LiveRecords }) {
  const [text, setText] = useState('');
  const newest = live.shown[0]?.id ?? null;
  const seen = useRef<number | null>(newest);
  const pending = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(live.shown);
  latest.current = live.shown;

  useEffect(() => {
    const previous = seen.current;
    seen.current = newest;
    if (newest === null || previous === newest) return;
    const at = previous === null ? -1 : live.shown.findIndex((r) => r.id === previous);
    pending.current += at === -1 ? live.shown.length : at;
    if (timer.current !== null) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      const count = pending.current;
      pending.current = 0;
      const top = latest.current[0];
      setText(
        `${messages(count)}${top ? `, newest: ${[top.method ?? top.kind, top.summary].filter(Boolean).join(' ')}` : ''}`,
      );
    }, QUIET_MS);
  }, [newest, live.shown]);
  const wasPaused = useRef(live.paused);
  useEffect(() => {
    if (wasPaused.current && !live.paused) setText('Live updates resumed.');
    wasPaused.current = live.paused;
  }, [live.paused]);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  const held = live.held.length;
  const heldText = live.overflowed ? `more than ${held.toLocaleString()}` : held.toLocaleString();
  const shown = live.paused
    ? `Live updates paused.${held > 0 ? ` ${heldText} new message${held === 1 ? '' : 's'} held; resume to show them.` : ''}`
    : text;
  return (
    <p role="status" className="sr-only">
      {shown}
    </p>
  );
}
