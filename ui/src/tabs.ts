import type { KeyboardEvent } from 'react';

/**
 * Arrow keys in a tab list, as the ARIA Authoring Practices' tabs pattern has them: Left/Right step (and wrap),
 * Home/End go to the ends; the tab moved to is selected and focused. Only the selected tab is in the Tab
 * order (roving tabindex), so Tab leaves the list for the panel.
 */
export function onTabListKey<T extends string>(
  event: KeyboardEvent<HTMLElement>,
  tabs: readonly T[],
  current: T,
  select: (tab: T) => void,
): void {
  const index = tabs.indexOf(current);
  let next: number;
  if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
  else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
  else if (event.key === 'Home') next = 0;
  else if (event.key === 'End') next = tabs.length - 1;
  else return;
  event.preventDefault();
  const tab = tabs[next] as T;
  select(tab);
  const buttons = event.currentTarget.querySelectorAll<HTMLElement>('[role=tab]');
  buttons[next]?.focus();
}
