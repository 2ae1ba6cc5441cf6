import { describe, expect, it } from 'vitest';
import { maskEntry, unmaskEntry } from '../../src/api/masking.js';

const URL_WITH_KEY = 'https://api.example.com/mcp?api_key=qk-live-1234567890abcd&region=eu';

describe('masking server configuration', () => {
  it('masks secret query values and URL passwords, leaving the rest of the URL as written', () => {
    expect(maskEntry({ url: URL_WITH_KEY }).url).toBe(
      'https://api.example.com/mcp?api_key=****abcd&region=eu',
    );
    expect(maskEntry({ url: 'http://admin:hunter2hunter2@localhost:8080/mcp' }).url).toBe(
      'http://admin:****ter2@localhost:8080/mcp',
    );
    expect(maskEntry({ url: 'http://localhost:3001/mcp?page=2' }).url).toBe(
      'http://localhost:3001/mcp?page=2',
    );
  });

  it('masks secret flags, the value after one, and credential-shaped args; leaves other args alone', () => {
    const args = [
      '-y',
      '@acme/server',
      '--token=tok-secret-abcdef123',
      '--password',
      'pw',
      '--port',
      '8080',
      '-v',
    ];
    expect(maskEntry({ args }).args).toEqual([
      '-y',
      '@acme/server',
      '--token=****f123',
      '--password',
      '****',
      '--port',
      '8080',
      '-v',
    ]);
  });

  it('masks env values by secret name or credential shape', () => {
    const env = {
      OPENAI_API_KEY: 'sk-proj-abcdefghij0123456789',
      DATABASE_URL: 'postgres://app:pw1234567890ab@db/app',
      LOG_LEVEL: 'debug',
    };
    expect(maskEntry({ env }).env).toEqual({
      OPENAI_API_KEY: '****6789',
      DATABASE_URL: 'postgres://app:****90ab@db/app',
      LOG_LEVEL: 'debug',
    });
  });

  it('keeps a secret query value when the URL comes back masked with another part edited', () => {
    const current = { url: URL_WITH_KEY };
    const edited = { url: 'https://api.example.com/v2/mcp?api_key=****abcd&region=us' };
    expect(unmaskEntry(edited, current).url).toBe(
      'https://api.example.com/v2/mcp?api_key=qk-live-1234567890abcd&region=us',
    );
    // A new value replaces it.
    expect(unmaskEntry({ url: 'https://api.example.com/mcp?api_key=new-key' }, current).url).toBe(
      'https://api.example.com/mcp?api_key=new-key',
    );
  });

  it('keeps masked args when an arg is added before them', () => {
    const current = { args: ['server.js', '--token=tok-secret-abcdef123'] };
    const shown = maskEntry(current).args as string[];
    expect(unmaskEntry({ args: ['--inspect', ...shown, '--verbose'] }, current).args).toEqual([
      '--inspect',
      'server.js',
      '--token=tok-secret-abcdef123',
      '--verbose',
    ]);
  });
});
