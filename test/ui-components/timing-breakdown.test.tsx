// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TimingBreakdown } from '../../ui/src/components/TimingBreakdown.js';
import { apiRecord } from './record-fixture.js';

afterEach(cleanup);

const stdio = { method: 'POST', status: 200, transport: 'stdio' as const };

describe('the Timing tab’s split of an answered request', () => {
  it('names the stdio server’s stdin and stdout, and sizes the bar by each part', () => {
    const request = apiRecord({ id: 1, http: stdio });
    const response = apiRecord({
      id: 2,
      kind: 'response',
      http: stdio,
      partnerId: 1,
      durationMs: 400,
      gatewayMs: 100,
      upstreamMs: 300,
    });
    const { getByRole, getByTestId, container } = render(
      <TimingBreakdown request={request} response={response} />,
    );
    expect(getByTestId('gateway-ms').textContent).toBe('100 ms');
    expect(getByTestId('upstream-ms').textContent).toBe('300 ms');
    const bar = getByRole('img');
    expect(bar.getAttribute('aria-label')).toBe('Gateway 100 ms, upstream 300 ms');
    expect((bar.firstElementChild as HTMLElement).style.width).toBe('25%');
    const text = container.textContent ?? '';
    expect(text).toContain(
      '(25%) of its own: from having the whole request to writing it to the server’s stdin',
    );
    expect(text).toContain(
      '(75%) from the request written to the server’s stdin to its answer read from stdout',
    );
  });

  it('a gateway share under one percent reads "<1%", not 0%', () => {
    const request = apiRecord({ id: 3 });
    const response = apiRecord({ id: 4, kind: 'response', partnerId: 3, gatewayMs: 0.4, upstreamMs: 120 });
    const { container } = render(<TimingBreakdown request={request} response={response} />);
    expect(container.textContent).toContain('400 µs (<1%) of its own');
    expect(container.textContent).toContain('120 ms (100%)');
  });
});
