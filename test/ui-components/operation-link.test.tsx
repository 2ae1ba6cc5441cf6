// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OperationLink } from '../../ui/src/components/OperationLink.js';
import { apiRecord } from './record-fixture.js';

afterEach(cleanup);

describe('a multi-round operation in the record detail', () => {
  it('links a retry to the round it continues and shows the total on the final answer', () => {
    window.history.replaceState(null, '', '/ui/traffic?filter=server%3Amrtr&record=9');
    const request = apiRecord({ id: 9, linkedId: 7, linkKind: 'mrtr-retry' });
    const response = apiRecord({ id: 10, kind: 'response', partnerId: 9, durationMs: 50, operationMs: 5050 });
    const { getByRole, container } = render(<OperationLink request={request} response={response} />);
    const link = getByRole('link', { name: 'Continues request #7' });
    expect(link.getAttribute('title')).toBe('Open the earlier round of this multi-round request');
    expect(container.textContent).toContain('Operation total 5.05 s');
    fireEvent.click(link);
    // The pane opens the earlier round in place; the filter stays.
    expect(window.location.search).toBe('?filter=server%3Amrtr&record=7');
  });

  it('names the creating request for a task message', () => {
    const poll = apiRecord({ id: 21, method: 'tasks/get', linkedId: 3, linkKind: 'task' });
    const { getByRole } = render(<OperationLink request={poll} response={null} />);
    expect(getByRole('link', { name: 'Continues request #3' }).getAttribute('title')).toBe(
      'Open the request that created this task',
    );
  });

  it('shows nothing for a message that is no part of a longer operation', () => {
    const { container } = render(
      <OperationLink request={apiRecord()} response={apiRecord({ kind: 'response' })} />,
    );
    expect(container.textContent).toBe('');
  });
});
