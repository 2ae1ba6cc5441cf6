import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiJson } from '../helpers/api-json.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { serverStatus, stdioServers, waitForState } from '../helpers/stdio.js';
import { eventually, signedIn } from './support.js';

/** One way a page on another origin tries to make a change with the browser's cookies. */
interface Attack {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  body: string;
}

/** The few DOM parts the other page uses (tests compile without the DOM library). */
interface PageElement {
  name: string;
  method: string;
  action: string;
  enctype: string;
  target: string;
  type: string;
  value: string;
  append(child: PageElement): void;
  submit(): void;
  addEventListener(type: 'load', listener: () => void, options: { once: boolean }): void;
}
interface PageDocument {
  body: PageElement;
  createElement(tag: string): PageElement;
}

/** Runs in the other page: every kind of request a page may send across origins without help from CORS. */
async function attack(page: Page, gateway: string, attacks: Attack[]): Promise<string[]> {
  return page.evaluate(
    async ({ gateway, attacks }) => {
      const document = (globalThis as unknown as { document: PageDocument }).document;
      const seen: string[] = [];
      const note = async (what: string, send: () => Promise<Response>) => {
        try {
          const response = await send();
          seen.push(`${what}: ${response.type} ${response.status}`);
        } catch (error) {
          seen.push(`${what}: ${(error as Error).message}`);
        }
      };
      /** A form post into a hidden frame, so this page stays; resolves when the frame has loaded. */
      const submit = (action: string, enctype: string, fields: [string, string][]) =>
        new Promise<void>((resolve) => {
          const frame = document.createElement('iframe');
          frame.name = `sink-${Math.random()}`;
          document.body.append(frame);
          const form = document.createElement('form');
          form.method = 'POST';
          form.action = action;
          form.enctype = enctype;
          form.target = frame.name;
          for (const [name, value] of fields) {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = name;
            input.value = value;
            form.append(input);
          }
          document.body.append(form);
          frame.addEventListener('load', () => resolve(), { once: true });
          setTimeout(resolve, 3000);
          form.submit();
        });
      for (const { method, path, body } of attacks) {
        const url = `${gateway}${path}`;
        const what = `${method} ${path}`;
        await note(`${what} cors json`, () =>
          fetch(url, {
            method,
            mode: 'cors',
            credentials: 'include',
            headers: { 'content-type': 'application/json' },
            body,
          }),
        );
        await note(`${what} cors text/plain`, () =>
          fetch(url, {
            method,
            mode: 'cors',
            credentials: 'include',
            headers: { 'content-type': 'text/plain' },
            body,
          }),
        );
        if (method === 'POST') {
          await note(`${what} no-cors text/plain`, () =>
            fetch(url, { method, mode: 'no-cors', credentials: 'include', body }),
          );
          await note(`${what} no-cors untyped`, () =>
            fetch(url, { method, mode: 'no-cors', credentials: 'include', body: new Blob([body]) }),
          );
          // The classic trick: a text/plain form whose one field name and value join into JSON.
          const name = body.length > 2 ? `${body.slice(0, -1)},"pad":"` : '{"pad":"';
          await submit(url, 'text/plain', [[name, '"}']]);
          await submit(url, 'application/x-www-form-urlencoded', [['json', body]]);
          seen.push(`${what} forms: submitted`);
        }
      }
      return seen;
    },
    { gateway, attacks },
  );
}

describe('web UI: pages from another localhost port cannot make changes', () => {
  let gw: TestGateway;
  let browser: TestBrowser;
  let other: Server;
  let otherUrl: string;
  const marker = join(tmpdir(), `mcp-gateway-cross-site-${randomUUID()}`);
  const touch = { type: 'stdio', command: '/usr/bin/touch', args: [marker] };
  const heldMarker = join(tmpdir(), `mcp-gateway-cross-site-held-${randomUUID()}`);

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { victim: stdioServers.fixture() } });
    await waitForState(gw, 'victim', 'running');
    const client = await connectClient(gw.proxyUrl('victim'), 'before-the-attack');
    await client.client.callTool({ name: 'echo', arguments: { message: 'keep me' } });
    await client.close();
    // An agent's launch waiting for the owner: approving it from another page must not run it.
    const held = await gw.api('/gateway/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'add_server',
          arguments: { name: 'held', command: '/usr/bin/touch', args: [heldMarker] },
        },
      }),
    });
    expect(await held.text()).toContain('awaiting-approval');
    browser = await signedIn(gw);
    // The other page is served by a plain web server on another port of the same host: the same site.
    other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Another local app</title><h1>Another local app</h1>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://localhost:${(other.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await new Promise((resolve) => other?.close(resolve));
    rmSync(marker, { force: true });
    rmSync(heldMarker, { force: true });
  });

  it('registers nothing, runs nothing, deletes nothing and signs no one out', async () => {
    await gw.gateway.flushCapture();
    const configBefore = await apiJson(gw, '/api/servers/config');
    const recordsBefore = (await apiJson<{ data: { id: number }[] }>(gw, '/api/logs?limit=1000')).data;
    expect(recordsBefore.length).toBeGreaterThan(0);
    const statusBefore = await serverStatus(gw, 'victim');
    const exported = (await (await gw.api('/api/logs/export')).text()).split('\n')[0] ?? '';

    const page = await browser.context.newPage();
    await page.goto(otherUrl);
    // Same site as the gateway, so the browser attaches the UI's SameSite=Strict cookie to every attempt.
    expect(await browser.context.cookies(gw.url)).toHaveLength(1);
    const stdio = JSON.stringify({ name: 'pwned', ...touch });
    const seen = await attack(page, gw.url, [
      { method: 'POST', path: '/api/servers/config', body: stdio },
      { method: 'PUT', path: '/api/servers/config/victim', body: JSON.stringify(touch) },
      { method: 'DELETE', path: '/api/servers/config/victim', body: '' },
      { method: 'DELETE', path: '/api/logs?all=true', body: '' },
      { method: 'POST', path: '/api/logs/clear', body: '{}' },
      { method: 'POST', path: '/api/servers/victim/restart', body: '{}' },
      { method: 'POST', path: '/api/logs/import', body: exported },
      { method: 'POST', path: '/ui/logout', body: '{}' },
      { method: 'POST', path: '/api/servers/pending/held/approve', body: '{}' },
    ]);
    expect(seen.length).toBeGreaterThan(20);
    await page.close();
    // Give anything that slipped through time to show.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await gw.gateway.flushCapture();

    expect(existsSync(marker)).toBe(false);
    expect(existsSync(heldMarker)).toBe(false);
    const pending = await apiJson<{ data: { name: string }[] }>(gw, '/api/servers/pending');
    expect(pending.data.map((p) => p.name)).toEqual(['held']);
    expect(await apiJson(gw, '/api/servers/config')).toEqual(configBefore);
    const recordsAfter = (await apiJson<{ data: { id: number }[] }>(gw, '/api/logs?limit=1000')).data;
    expect(recordsAfter.map((r) => r.id)).toEqual(recordsBefore.map((r) => r.id));
    expect(await serverStatus(gw, 'victim')).toMatchObject({
      state: 'running',
      pid: statusBefore.pid,
      restarts: statusBefore.restarts,
    });
    // Still signed in.
    expect(await browser.page.evaluate(async () => (await fetch('/api/status')).status)).toBe(200);
    await browser.page.reload();
    await browser.page.getByRole('navigation', { name: 'Screens' }).waitFor();
  });

  it("still lets the gateway's own UI make changes", async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/servers/victim`);
    await page.getByRole('heading', { name: 'victim' }).waitFor();
    const { pid } = await serverStatus(gw, 'victim');
    await page.getByRole('button', { name: 'Restart' }).click();
    await eventually(() => page.textContent('main')).toContain('Restarting victim');
    await waitForState(gw, 'victim', 'running', pid);

    await page
      .getByRole('navigation', { name: 'Servers' })
      .getByRole('button', { name: 'Add server' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.getByLabel('Name', { exact: true }).fill('from-the-ui');
    await dialog.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/mcp');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('heading', { name: 'from-the-ui' }).waitFor();
    const config = await apiJson<{ servers: { name: string }[] }>(gw, '/api/servers/config');
    expect(config.servers.map((s) => s.name).sort()).toEqual(['from-the-ui', 'victim']);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to MCP Gateway' }).waitFor();
    expect(browser.errors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
