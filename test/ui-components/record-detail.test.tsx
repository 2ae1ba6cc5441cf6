// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Timing } from '../../ui/src/components/RecordDetail.js';
import { apiRecord } from './record-fixture.js';

afterEach(cleanup);

describe('the timing tab of the record detail', () => {
  it('shows the protocol version, the client and server, and says a 2026 conversation id was derived', () => {
    const record = apiRecord({
      sessionId: 'conv-1234',
      sessionSource: 'derived',
      protocolVersion: '2026-07-28',
      client: { name: 'modern-app', version: '3.0.0' },
      upstream: { name: 'v2-fixture', version: '2.0.0' },
    });
    const { container } = render(<Timing record={record} request={null} response={null} />);
    const text = container.textContent ?? '';
    expect(text).toContain('MCP 2026-07-28');
    expect(text).toContain('modern-app 3.0.0');
    expect(text).toContain('v2-fixture 2.0.0');
    expect(text).toContain('conv-1234 (a conversation the gateway grouped');
  });

  it('shows a session the transport carried as it is', () => {
    const { container } = render(
      <Timing
        record={apiRecord({ sessionId: 's-1', protocolVersion: '2025-11-25' })}
        request={null}
        response={null}
      />,
    );
    expect(container.textContent).toContain('MCP 2025-11-25');
    expect(container.textContent).not.toContain('conversation');
  });
});
