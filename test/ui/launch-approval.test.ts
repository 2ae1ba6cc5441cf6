import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { everythingCommand, waitForState } from '../helpers/stdio.js';
import { eventually, signedIn } from './support.js';

/** The owner decides, in the web UI, whether a program an agent asked for may run. */
describe('web UI: launches awaiting approval', () => {
  let gw: TestGateway;
  let browser: TestBrowser;
  let agent: Client;

  const askToAdd = async (name: string, entry: Record<string, unknown>) =>
    (await agent.callTool({ name: 'add_server', arguments: { name, ...entry } })) as CallToolResult;

  beforeAll(async () => {
    gw = await startTestGateway();
    agent = new Client({ name: 'plain-agent', version: '1.0.0' });
    await agent.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/gateway/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
    browser = await signedIn(gw, '/ui/servers');
  });

  afterAll(async () => {
    await agent?.close();
    await browser?.close();
    await gw?.stop();
  });

  it('shows what an agent asked to run, and starts it only once approved', async () => {
    const { page } = browser;
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
    const result = await askToAdd('agent-wants', {
      ...everythingCommand,
      env: { EVERYTHING_TOKEN: 'secret-value-123456' },
      cwd: gw.storageDir,
    });
    expect(result.structuredContent).toMatchObject({ status: 'awaiting-approval' });

    // The live feed brings the request to the open page.
    const awaiting = page.getByRole('region', { name: 'Awaiting approval' });
    const item = awaiting.getByRole('listitem', { name: 'Launch of agent-wants' });
    await item.waitFor();
    const shown = (await item.textContent()) ?? '';
    expect(shown).toContain(`${everythingCommand.command} ${everythingCommand.args.join(' ')}`);
    expect(shown).toContain('EVERYTHING_TOKEN');
    expect(shown).not.toContain('secret-value-123456');
    expect(shown).toContain(gw.storageDir);
    expect(shown).toContain('plain-agent 1.0.0');
    expect(gw.gateway.registry.get('agent-wants')).toBeUndefined();

    await item.getByRole('button', { name: 'Approve and run' }).click();
    await eventually(() => new URL(page.url()).pathname).toBe('/ui/servers/agent-wants');
    await page.getByRole('heading', { name: 'agent-wants' }).waitFor();
    await eventually(() => awaiting.count()).toBe(0);
    await waitForState(gw, 'agent-wants', 'running');
    expect(gw.gateway.registry.get('agent-wants')).toMatchObject(everythingCommand);

    // Editing shows what the server runs; changing the launch says on the button that saving runs it.
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit agent-wants' });
    const line = `${everythingCommand.command} ${everythingCommand.args.join(' ')}`;
    expect(
      await edit.getByRole('region', { name: 'The command this server runs' }).locator('pre').textContent(),
    ).toBe(line);
    expect(await edit.getByRole('button', { name: 'Save', exact: true }).count()).toBe(1);
    await edit.getByLabel('Arguments', { exact: true }).fill(`${everythingCommand.args.join(' ')} --extra`);
    await eventually(() =>
      edit.getByRole('region', { name: 'Saving runs this command' }).locator('pre').textContent(),
    ).toBe(`${line} --extra`);
    expect(
      await edit.getByRole('button', { name: `Save and run ${everythingCommand.command}` }).count(),
    ).toBe(1);
    await edit.getByRole('button', { name: 'Cancel' }).click();
    expect(browser.errors).toEqual([]);
  });

  it('discards a rejected request', async () => {
    const { page } = browser;
    const result = await askToAdd('unwanted', { command: '/usr/bin/touch', args: ['/tmp/should-not-exist'] });
    // The address the agent was told to pass on opens the request.
    await page.goto((result.structuredContent as { approveAt: string }).approveAt);
    const item = page.getByRole('listitem', { name: 'Launch of unwanted' });
    await item.waitFor();
    expect(await item.textContent()).toContain('/usr/bin/touch /tmp/should-not-exist');
    await item.getByRole('button', { name: 'Reject' }).click();
    await eventually(() => page.getByRole('region', { name: 'Awaiting approval' }).count()).toBe(0);
    const pending = await gw.api('/api/servers/pending');
    expect(await pending.json()).toEqual({ data: [] });
    expect(gw.gateway.registry.get('unwanted')).toBeUndefined();
  });

  it('the add dialog shows the command line it will run while it is typed, and says so on its button', async () => {
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Servers' })
      .getByRole('button', { name: 'Add server' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.getByLabel('Name', { exact: true }).fill('previewed');
    await dialog.getByText('stdio (local command)').click();
    const preview = dialog.getByRole('region', { name: 'Adding runs this command' });
    expect(await preview.count()).toBe(0);
    await dialog.getByLabel('Command', { exact: true }).fill('node');
    await dialog.getByLabel('Arguments', { exact: true }).fill('server.js --greeting "hello world"');
    await eventually(() => preview.locator('pre').textContent()).toBe(
      "node server.js --greeting 'hello world'",
    );
    await dialog.getByLabel('Arguments', { exact: true }).fill('server.js --greeting "hello world" --loud');
    await eventually(() => preview.locator('pre').textContent()).toBe(
      "node server.js --greeting 'hello world' --loud",
    );
    await dialog.getByRole('button', { name: 'Add environment variable' }).click();
    await dialog.getByLabel('Environment variables name 1').fill('API_KEY');
    await dialog.getByLabel('Environment variables value 1').fill('sk-live-abcdef');
    await dialog.getByLabel('Working directory').fill('/srv/mcp');
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('API_KEY');
    expect(text).not.toContain('sk-live-abcdef');
    expect(text).toContain('/srv/mcp');
    expect(await dialog.getByRole('button', { name: 'Add server and run node' }).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(gw.gateway.registry.get('previewed')).toBeUndefined();
  });
});
