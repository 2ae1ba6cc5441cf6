// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { keyAction, step } from '../../ui/src/keyboard.js';

const press = (key: string, target: EventTarget | null = document.body, extra = {}) =>
  keyAction({ key, ctrlKey: false, metaKey: false, altKey: false, target, ...extra });

describe('list keys', () => {
  it('moves with j/k and the arrows, opens with Enter, focuses the filter with /, closes with Esc', () => {
    expect(['j', 'ArrowDown', 'k', 'ArrowUp', 'Enter', '/', 'Escape'].map((key) => press(key))).toEqual([
      'next',
      'next',
      'previous',
      'previous',
      'open',
      'focus-filter',
      'close',
    ]);
  });

  it('moves through the outer list with Shift+J/K', () => {
    expect(['J', 'K'].map((key) => press(key, document.body, { shiftKey: true }))).toEqual([
      'next-outer',
      'previous-outer',
    ]);
  });

  it('leaves keys alone while typing, on buttons, with modifiers, or under a dialog', () => {
    const input = document.createElement('input');
    expect(press('j', input)).toBeNull();
    expect(press('Escape', input)).toBeNull();
    expect(press('Enter', document.createElement('button'))).toBeNull();
    expect(press('k', document.body, { ctrlKey: true })).toBeNull();
    expect(
      keyAction({ key: 'j', ctrlKey: false, metaKey: false, altKey: false, target: document.body }, true),
    ).toBeNull();
  });

  it('steps within the list, starting at the top', () => {
    expect(step(-1, 5, 1)).toBe(0);
    expect(step(0, 5, -1)).toBe(0);
    expect(step(4, 5, 1)).toBe(4);
    expect(step(2, 5, 1)).toBe(3);
    expect(step(0, 0, 1)).toBe(-1);
  });
});
