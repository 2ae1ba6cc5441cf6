import { describe, expect, it } from 'vitest';
import { joinArgs, splitArgs } from '../../ui/src/command-line.js';
import { EMPTY_FORM, entryFromForm, formFromEntry, formProblem } from '../../ui/src/server-form.js';

describe('command lines for stdio servers', () => {
  it('splits arguments as a terminal would: quotes group, backslash escapes', () => {
    expect(splitArgs('-y @modelcontextprotocol/server-memory')).toEqual([
      '-y',
      '@modelcontextprotocol/server-memory',
    ]);
    expect(splitArgs(`--root "/Users/me/My Notes" --name 'it''s' a\\ b ""`)).toEqual([
      '--root',
      '/Users/me/My Notes',
      '--name',
      'its',
      'a b',
      '',
    ]);
    expect(splitArgs('  ')).toEqual([]);
  });

  it('joins arguments so that they split back the same', () => {
    const args = ['-y', 'pkg@1.2', '/path with spaces', "it's", '', '$HOME', 'a"b'];
    expect(splitArgs(joinArgs(args))).toEqual(args);
    expect(joinArgs(['-y', '@scope/pkg', '--port=3001'])).toBe('-y @scope/pkg --port=3001');
  });
});

describe('the server form', () => {
  it('reads an http entry and writes it back, keeping fields the form does not show', () => {
    const entry = {
      type: 'http',
      url: 'https://api.example.com/mcp',
      headers: { Authorization: '****abcd' },
      timeout: 5000,
    };
    const form = formFromEntry('github', entry);
    expect(form).toMatchObject({
      name: 'github',
      type: 'http',
      url: entry.url,
      headers: [{ key: 'Authorization', value: '****abcd' }],
    });
    expect(entryFromForm(form, entry)).toEqual(entry);
  });

  it('keeps a legacy HTTP+SSE entry as type "sse", and writes one when the box is ticked', () => {
    const entry = { type: 'sse', url: 'http://localhost:3001/sse', headers: { 'X-Key': '****' } };
    const form = formFromEntry('legacy', entry);
    expect(form).toMatchObject({ type: 'http', legacySse: true, url: entry.url });
    expect(entryFromForm(form, entry)).toEqual(entry);
    expect(entryFromForm({ ...form, legacySse: false }, entry).type).toBe('http');
    expect(entryFromForm({ ...EMPTY_FORM, name: 'x', legacySse: true, url: 'http://h/sse' })).toEqual({
      type: 'sse',
      url: 'http://h/sse',
    });
  });

  it('writes a stdio entry from the form, dropping empty parts and the fields of the other type', () => {
    const form = {
      ...EMPTY_FORM,
      name: 'memory',
      type: 'stdio' as const,
      url: 'left over',
      command: ' npx ',
      args: '-y @modelcontextprotocol/server-memory',
      env: [
        { key: 'MEMORY_FILE_PATH', value: '/tmp/m.jsonl' },
        { key: ' ', value: 'ignored' },
      ],
      sessionMode: 'isolated' as const,
    };
    expect(entryFromForm(form, { type: 'http', url: 'http://old/mcp', headers: { a: 'b' } })).toEqual({
      type: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory'],
      env: { MEMORY_FILE_PATH: '/tmp/m.jsonl' },
      sessionMode: 'isolated',
    });
    const back = formFromEntry('memory', entryFromForm(form));
    expect(back.args).toBe('-y @modelcontextprotocol/server-memory');
    expect(entryFromForm({ ...back, sessionMode: 'shared' })).not.toHaveProperty('sessionMode');
  });

  it('says what to fix before a round trip', () => {
    expect(formProblem({ ...EMPTY_FORM, name: 'Bad Name', url: 'http://x/mcp' })).toContain('lower-case');
    expect(formProblem({ ...EMPTY_FORM, name: 'config', url: 'http://x/mcp' })).toContain('config-server');
    expect(formProblem({ ...EMPTY_FORM, name: 'ok', url: 'localhost:3001' })).toContain('http://');
    expect(formProblem({ ...EMPTY_FORM, name: 'ok', type: 'stdio' })).toContain('command');
    expect(formProblem({ ...EMPTY_FORM, name: 'ok', url: 'http://localhost:3001/mcp' })).toBeNull();
  });
});

describe('add-server form problems, per field', () => {
  it('names the field each problem belongs to', async () => {
    const { formProblems } = await import('../../ui/src/server-form.js');
    expect(formProblems({ ...EMPTY_FORM, name: 'Every Thing', url: '' })).toEqual({
      name: expect.stringContaining('lower-case'),
      url: expect.stringContaining('http://'),
    });
    expect(formProblems({ ...EMPTY_FORM, name: 'ok', type: 'stdio' })).toEqual({
      command: expect.stringContaining('command'),
    });
    expect(formProblems({ ...EMPTY_FORM, name: 'ok', url: 'http://localhost:3001/mcp' })).toEqual({});
  });
});
