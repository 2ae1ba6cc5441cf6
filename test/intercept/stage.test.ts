import { describe, expect, it } from 'vitest';
import { type MessageHook, MessageStage } from '../../src/intercept/stage.js';
import { stagedMessage } from '../../src/intercept/staged-message.js';
import type { Verdict } from '../../src/intercept/verdict.js';

const call = (name: string) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name, arguments: {} },
});

const message = (value: unknown) =>
  stagedMessage(
    { server: 'alpha', direction: 'client_to_server', sessionId: 's', transport: 'http-json' },
    JSON.stringify(value),
    value,
  );

function hook(name: string, decide: MessageHook['inspect'], armed = true): MessageHook & { seen: string[] } {
  const seen: string[] = [];
  return {
    name,
    armed,
    seen,
    inspect(staged, facts) {
      seen.push(`${facts.method} ${JSON.stringify((staged.value as { params: unknown }).params)}`);
      return decide(staged, facts);
    },
  };
}

describe('the message stage', () => {
  it('is not armed until a hook is, and then passes what no rule matches', async () => {
    const stage = new MessageStage();
    expect(stage.armed).toBe(false);
    const idle = hook('idle', () => ({ action: 'drop' }), false);
    stage.use(idle);
    expect(stage.armed).toBe(false);
    expect(await stage.run(message(call('echo')))).toEqual({ action: 'pass' });
    expect(idle.seen).toEqual([]);
  });

  it('hands an edit to the next hook and stops at the first verdict that is not pass or edit', async () => {
    const stage = new MessageStage();
    const edit = hook('edit', () => ({ action: 'edit', message: call('edited') }));
    const reply = hook('reply', (staged) =>
      (staged.value as { params: { name: string } }).params.name === 'edited'
        ? ({ action: 'reply', message: { result: {} } } satisfies Verdict)
        : null,
    );
    const never = hook('never', () => ({ action: 'drop' }));
    stage.use(edit);
    stage.use(reply);
    stage.use(never);
    expect(await stage.run(message(call('echo')))).toEqual({ action: 'reply', message: { result: {} } });
    expect(reply.seen).toEqual(['tools/call {"name":"edited","arguments":{}}']);
    expect(never.seen).toEqual([]);
  });

  it('passes a message when a hook throws: a broken rule must not break traffic', async () => {
    const stage = new MessageStage();
    stage.use(
      hook('broken', () => {
        throw new Error('boom');
      }),
    );
    expect(await stage.run(message(call('echo')))).toEqual({ action: 'pass' });
  });

  it('waits out a delay before the verdict takes effect', async () => {
    const stage = new MessageStage();
    const remove = stage.use(hook('slow', () => ({ action: 'pass', delayMs: 60 })));
    const started = Date.now();
    await stage.run(message(call('echo')));
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    remove();
    expect(stage.armed).toBe(false);
  });
});
