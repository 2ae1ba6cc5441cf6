// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeFilterLanguage } from '../../src/filter/describe.js';
import { FilterBar } from '../../ui/src/components/FilterBar.js';

/** The gateway's answers: the real language description, and values seen for servers and methods. */
function fakeApi(url: string): unknown {
  const parsed = new URL(url, 'http://gateway.test');
  if (parsed.pathname === '/api/filter/fields') return describeFilterLanguage();
  if (parsed.pathname === '/api/filter/values') {
    const values: Record<string, string[]> = {
      server: ['everything', 'github', 'memory'],
      method: ['initialize', 'resources/read', 'tools/call', 'tools/list'],
    };
    return { values: values[parsed.searchParams.get('field') ?? ''] ?? [] };
  }
  throw new Error(`unexpected request ${url}`);
}

function renderBar(value = '', serverError = null) {
  const onApply = vi.fn();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <FilterBar value={value} onApply={onApply} serverError={serverError} />
    </QueryClientProvider>,
  );
  const input = screen.getByRole('combobox', { name: 'Filter' }) as HTMLInputElement;
  return { input, onApply };
}

function type(input: HTMLInputElement, text: string) {
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value: text, selectionStart: text.length } });
  input.setSelectionRange(text.length, text.length);
  fireEvent.select(input);
}

const options = () => screen.queryAllByRole('option').map((o) => o.textContent);

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async (url: string) =>
        new Response(JSON.stringify(fakeApi(url)), { headers: { 'content-type': 'application/json' } }),
    ),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('filter bar', () => {
  it('offers the fields that start with what is typed, with their help', async () => {
    const { input } = renderBar();
    type(input, 'se');
    await waitFor(() => expect(options()).toHaveLength(2));
    expect(options()[0]).toMatch(/^server:The registered server name/);
    expect(options()[1]).toMatch(/^session:/);
  });

  it('completes a field with the keyboard, then its value from the values the gateway has seen', async () => {
    const { input, onApply } = renderBar();
    type(input, 'meth');
    await waitFor(() => expect(options()).toHaveLength(1));
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(input.value).toBe('method:');
    await waitFor(() =>
      expect(options()).toEqual(['initialize', 'resources/read', 'tools/call', 'tools/list']),
    );
    type(input, 'method:read');
    await waitFor(() => expect(options()).toEqual(['resources/read']));
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(input.value).toBe('method:resources/read ');
    // Choosing a value completes the term, so the filter is applied at once.
    expect(onApply).toHaveBeenCalledWith('method:resources/read');
  });

  it('lets Tab move on without choosing a suggestion, with the list open or an option highlighted', async () => {
    const { input, onApply } = renderBar();
    fireEvent.focus(input);
    await waitFor(() => expect(options().length).toBeGreaterThan(0));
    const tab = fireEvent.keyDown(input, { key: 'Tab' });
    // Not cancelled: the browser moves the focus on.
    expect(tab).toBe(true);
    expect(input.value).toBe('');
    type(input, 'meth');
    await waitFor(() => expect(options()).toHaveLength(1));
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(fireEvent.keyDown(input, { key: 'Tab' })).toBe(true);
    expect(input.value).toBe('meth');
    expect(onApply).not.toHaveBeenCalled();
  });

  it('offers the fixed values of a field such as kind', async () => {
    const { input } = renderBar();
    type(input, 'kind:e');
    await waitFor(() =>
      expect(options()).toEqual(
        ['error', 'request', 'response', 'notification', 'stderr', 'other'].filter((k) => k.includes('e')),
      ),
    );
  });

  it('applies with Enter, and not while the filter is wrong: it says where and what to use instead', async () => {
    const { input, onApply } = renderBar();
    type(input, 'server:github methd:tools/call');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onApply).not.toHaveBeenCalled();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('unknown field "methd": did you mean "method"?');
    expect(alert.textContent).toContain('at character 15');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Use method' }));
    expect(onApply).toHaveBeenCalledWith('server:github method:tools/call');
  });

  it('shows the error the gateway gave for the filter in effect', () => {
    renderBar('duration>1s', {
      error: 'the gateway refused it',
      position: 0,
      length: 8,
      suggestion: null,
    } as never);
    expect(screen.getByRole('alert').textContent).toContain('the gateway refused it');
  });

  it('reverts what was not applied on Esc, and clears the filter with its button', async () => {
    const { input, onApply } = renderBar('server:github');
    type(input, 'server:gitlab');
    await act(async () => {
      fireEvent.keyDown(input, { key: 'Escape' });
    });
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(input.value).toBe('server:github');
    fireEvent.click(screen.getByRole('button', { name: 'Clear filter' }));
    expect(onApply).toHaveBeenCalledWith('');
  });
});
