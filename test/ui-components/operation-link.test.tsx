// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OperationLink } from '../../ui/src/components/OperationLink.js';
import { apiRecord } from './record-fixture.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function withQueries(children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** The gateway's answer to `GET /api/logs?filter=linked:<id>`: the records that continue it. */
function stubLogs(ids: number[]): string[] {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (input: string | URL) => {
    asked.push(String(input));
    return new Response(JSON.stringify({ data: ids.map((id) => apiRecord({ id })) }), {
      headers: { 'content-type': 'application/json' },
    });
  });
  return asked;
}

describe('a multi-round operation in the record detail', () => {
  it('links a retry to the round it continues and shows the total on the final answer', () => {
    window.history.replaceState(null, '', '/ui/traffic?filter=server%3Amrtr&record=9');
    const request = apiRecord({ id: 9, linkedId: 7, linkKind: 'mrtr-retry' });
    const response = apiRecord({ id: 10, kind: 'response', partnerId: 9, durationMs: 50, operationMs: 5050 });
    const { getByRole, container } = render(
      withQueries(<OperationLink request={request} response={response} />),
    );
    const link = getByRole('link', { name: 'Continues request #7' });
    expect(link.getAttribute('title')).toBe('Open the earlier round of this multi-round request');
    expect(container.textContent).toContain('Operation total 5.05 s');
    fireEvent.click(link);
    // The pane opens the earlier round in place; the filter stays.
    expect(window.location.search).toBe('?filter=server%3Amrtr&record=7');
  });

  it('links a round that asked for input forward to the retry that answered it', async () => {
    window.history.replaceState(null, '', '/ui/traffic?record=7');
    const asked = stubLogs([9]);
    const request = apiRecord({ id: 7 });
    const response = apiRecord({
      id: 8,
      kind: 'response',
      summary: 'input required: confirm (elicitation/create: Go?)',
    });
    const { findByRole } = render(withQueries(<OperationLink request={request} response={response} />));
    const link = await findByRole('link', { name: 'Continued by request #9' });
    expect(decodeURIComponent(asked[0] ?? '')).toContain('filter=linked:7');
    fireEvent.click(link);
    expect(window.location.search).toBe('?record=9');
  });

  it('names the creating request for a task message, and lists the messages of a task its creator started', async () => {
    const poll = apiRecord({ id: 21, method: 'tasks/get', linkedId: 3, linkKind: 'task' });
    const first = render(withQueries(<OperationLink request={poll} response={null} />));
    expect(first.getByRole('link', { name: 'Continues request #3' }).getAttribute('title')).toBe(
      'Open the request that created this task',
    );
    first.unmount();
    stubLogs([21]);
    const creator = apiRecord({ id: 3 });
    const created = apiRecord({ id: 4, kind: 'response', summary: 'task abc-1 working' });
    const { findByRole } = render(withQueries(<OperationLink request={creator} response={created} />));
    expect((await findByRole('link', { name: 'Task messages' })).getAttribute('href')).toBe(
      '/ui/traffic?filter=linked%3A3',
    );
  });

  it('shows nothing, and asks nothing, for a message that is no part of a longer operation', () => {
    const asked = stubLogs([]);
    const { container } = render(
      withQueries(<OperationLink request={apiRecord()} response={apiRecord({ kind: 'response' })} />),
    );
    expect(container.textContent).toBe('');
    expect(asked).toEqual([]);
  });
});
