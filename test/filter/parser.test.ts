import { describe, expect, it } from 'vitest';
import type { Term } from '../../src/filter/ast.js';
import { FilterError } from '../../src/filter/errors.js';
import { parseFilter } from '../../src/filter/parser.js';

/** A compact view of a term: "field op raw,raw" or "text:word", with "-" for negation. */
function show(term: Term): string {
  const not = term.negated ? '-' : '';
  if (term.type === 'text')
    return `${not}text${term.quoted ? '"' : ''}:${term.text}${term.prefix ? '*' : ''}`;
  return `${not}${term.field} ${term.op} ${term.raw.join(',')}`;
}

const parse = (text: string) => parseFilter(text).terms.map(show);

describe('parseFilter: what a filter means', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['method:tools/call', ['method is tools/call']],
    ['METHOD:tools/call', ['method is tools/call']],
    ['m:ping', ['method is ping']],
    ['server:github,linear', ['server is github,linear']],
    ['method:a OR method:b', ['method is a,b']],
    ['server:x method:y', ['server is x', 'method is y']],
    ['server:x AND method:y', ['server is x', 'method is y']],
    ['-method:ping', ['-method is ping']],
    ['!method:ping', ['-method is ping']],
    ['NOT method:ping', ['-method is ping']],
    ['method!=ping', ['method != ping']],
    ['error~timeout', ['error contains timeout']],
    ['duration>500', ['duration > 500']],
    ['duration:>=1.5s', ['duration >= 1.5s']],
    ['tokens<=50', ['tokens <= 50']],
    ['status:4xx', ['status is 4xx']],
    ['kind:request,error', ['kind is request,error']],
    ['direction:c2s', ['direction is c2s']],
    ['has:error', ['has is error']],
    ['is:error', ['has is error']],
    ['last:15m', ['last is 15m']],
    ['after:2025-05-01 before:2025-05-02T10:00', ['after is 2025-05-01', 'before is 2025-05-02T10:00']],
    ['id>100', ['id > 100']],
    ['rpcid:7', ['rpcid is 7']],
    ['error:"Unknown tool: x"', ['error is Unknown tool: x']],
    ['method:"a","b"', ['method is a,b']],
    ['hello', ['text:hello']],
    ['hello world', ['text:hello', 'text:world']],
    ['"hello world"', ['text":hello world']],
    ['-secret', ['-text:secret']],
    ['weath*', ['text:weath*']],
    ['http://example.com/a?b=c', ['text:http://example.com/a?b=c']],
    ['foo:bar', ['text:foo:bar']],
    ['status://x', ['text:status://x']],
    ['Error boom', ['text:Error', 'text:boom']],
    ['method:a"b', ['method is a"b']],
    ['"say \\"hi\\""', ['text":say "hi"']],
    ['::', ['text:::']],
    ['-', ['text:-']],
    ['a:b', ['text:a:b']],
    ['server:x "tools/call"', ['server is x', 'text":tools/call']],
  ])('%j → %j', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it('parses values into what the field compares', () => {
    const [duration, status, after] = parseFilter('duration>1.5s status:5xx after:15m').terms;
    expect(duration?.type === 'field' && duration.values).toEqual([1500]);
    expect(status?.type === 'field' && status.values).toEqual([[500, 599]]);
    expect(after?.type === 'field' && after.values).toEqual([{ ago: 900_000 }]);
  });

  it('reads a date without a zone as local time', () => {
    const [term] = parseFilter('after:2025-05-01').terms;
    expect(term?.type === 'field' && term.values).toEqual([{ at: new Date(2025, 4, 1).getTime() }]);
  });
});

describe('parseFilter: malformed filters say where and what to write instead', () => {
  it.each([
    ['methd:tools/call', 0, 'unknown field "methd": did you mean "method"?', 'method'],
    ['server:x sever:y', 9, 'did you mean "server"?', 'server'],
    ['kind:reqest', 5, 'did you mean "request"?', 'request'],
    ['dir:sideways', 4, 'one of client_to_server, server_to_client', null],
    ['method:', 7, 'method: needs a value', null],
    ['duration>fast', 9, 'duration must be a duration', null],
    ['tokens>many', 7, 'tokens must be a number', null],
    ['last:15', 5, 'needs a unit', null],
    ['after:yesterday', 6, 'must be a date or time', null],
    ['method>5', 0, 'method cannot use ">"', null],
    ['kind~err', 0, 'kind cannot use "~"', null],
    ['time:2025-05-01', 0, 'time cannot use ":"', null],
    ['status>4xx', 7, 'only works with ":"', null],
    ['"unterminated', 0, 'unterminated quote', null],
    ['server:x OR method:y', 9, 'OR joins values of one field', null],
    ['OR method:y', 0, 'OR needs a term on each side', null],
    ['method:y OR', 9, 'OR needs a term on each side', null],
    ['nosuchfield>3', 0, 'unknown field "nosuchfield"', null],
    ['method:"a"b', 10, 'unexpected "b"', null],
    ['Error: boom', 6, 'error: needs a value', null],
    ['id:1.5', 3, 'whole number', null],
  ])('%j fails at %i: %s', (text, position, message, suggestion) => {
    let error: unknown;
    try {
      parseFilter(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FilterError);
    const filterError = error as FilterError;
    expect(filterError.message).toContain(message);
    expect(filterError.position).toBe(position);
    expect(filterError.suggestion).toBe(suggestion);
  });
});
