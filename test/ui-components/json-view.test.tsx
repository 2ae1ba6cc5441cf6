// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonView } from '../../ui/src/components/JsonView.js';

afterEach(cleanup);

const MESSAGE = {
  jsonrpc: '2.0',
  id: 7,
  result: {
    content: [{ type: 'text', text: 'Echo: hi' }],
    structuredContent: { deep: { deeper: { deepest: { needle: 'found me' } } } },
  },
};

describe('JSON viewer', () => {
  it('shows keys and values, typed', () => {
    const { container } = render(<JsonView value={MESSAGE} />);
    expect(container.textContent).toContain('"jsonrpc": "2.0"');
    expect(container.textContent).toContain('"id": 7');
    expect(container.textContent).toContain('"text": "Echo: hi"');
  });

  it('folds deep branches and unfolds them on click', () => {
    const { container } = render(<JsonView value={MESSAGE} />);
    expect(container.textContent).not.toContain('found me');
    expect(container.textContent).toContain('1 keys');
    for (let i = 0; i < 3 && !container.textContent?.includes('found me'); i++) {
      const folded = screen.getAllByRole('button', { name: /^Expand/ });
      fireEvent.click(folded[folded.length - 1] as HTMLElement);
    }
    expect(container.textContent).toContain('found me');
  });

  it('names each fold toggle by where it is, so a screen reader tells them apart', () => {
    render(<JsonView value={MESSAGE} />);
    const names = screen.getAllByRole('button').map((b) => b.getAttribute('aria-label'));
    expect(names).toEqual([
      'Collapse message',
      'Collapse result',
      'Collapse result.content',
      'Collapse result.content[0]',
      'Collapse result.structuredContent',
      'Collapse result.structuredContent.deep',
      'Expand result.structuredContent.deep.deeper',
    ]);
  });

  it('opens and highlights what a search finds', () => {
    const { container } = render(<JsonView value={MESSAGE} search="NEEDLE" />);
    expect(container.textContent).toContain('found me');
    const marks = [...container.querySelectorAll('mark')].map((m) => m.textContent);
    expect(marks).toEqual(['needle']);
  });
});

describe('JSON viewer with big payloads', () => {
  it('starts long arrays folded and shows the start of long strings, the rest on request', () => {
    const big = { items: Array.from({ length: 500 }, (_, i) => i), text: `${'a'.repeat(2000)}TAIL` };
    const { container } = render(<JsonView value={big} />);
    expect(container.textContent).toContain('500 items');
    expect(container.textContent).not.toContain('TAIL');
    fireEvent.click(screen.getByRole('button', { name: /4 more characters/ }));
    expect(container.textContent).toContain('TAIL');
  });

  it('shows the whole string when the search finds something in it', () => {
    const { container } = render(<JsonView value={{ text: `${'a'.repeat(3000)}needle` }} search="needle" />);
    expect(container.querySelector('mark')?.textContent).toBe('needle');
  });

  it('shows a hostile 50,000-level nesting without blowing the stack, searching included', () => {
    let deep: unknown = { needle: 'at the bottom' };
    for (let i = 0; i < 50_000; i++) deep = { level: deep };
    const { container } = render(<JsonView value={{ jsonrpc: '2.0', id: 1, params: deep }} search="level" />);
    // The search opens every branch it matches, down to the depth the viewer unfolds; deeper is text.
    expect(container.textContent).toContain('"level": ');
    expect(container.querySelector('[title="Nested too deep to fold: shown as JSON text"]')).not.toBeNull();
  });
});
