// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageBlock } from '../../ui/src/components/MessageBlock.js';
import { apiRecord } from './record-fixture.js';

afterEach(cleanup);

describe('a message in the record detail', () => {
  it('says how many values were redacted before it was stored', () => {
    const record = apiRecord({
      redactions: 3,
      message: { jsonrpc: '2.0', id: 1, params: { arguments: { apiKey: '[REDACTED:api_key]' } } },
    });
    const { container } = render(<MessageBlock record={record} search="" label="Request" />);
    expect(container.textContent).toContain('3 values redacted');
    expect(container.textContent).toContain('[REDACTED:api_key]');
  });

  it('shows no badge when nothing was redacted', () => {
    const { container } = render(<MessageBlock record={apiRecord()} search="" label="Request" />);
    expect(container.textContent).not.toContain('redacted');
  });
});
