import type { FieldTerm, Filter, Operator, Term } from './ast.js';
import { FilterError, ValueProblem } from './errors.js';
import { findField } from './fields.js';

/**
 * Query parameters in the style other MCP log tools use (`server=`, `method=`, `q=`, `durationGt=`),
 * turned into terms of the filter language, so that both spellings go through one compiler.
 */
export type FilterParams = Partial<Record<string, string | undefined>>;

/** Parameter → (field, operator). Comma-separated values mean any of them, as in the filter language. */
const PARAMETERS: Readonly<Record<string, [string, Operator]>> = {
  server: ['server', 'is'],
  serverName: ['server', 'is'],
  session: ['session', 'is'],
  sessionId: ['session', 'is'],
  method: ['method', 'is'],
  client: ['client', 'is'],
  kind: ['kind', 'is'],
  direction: ['direction', 'is'],
  status: ['status', 'is'],
  after: ['after', 'is'],
  before: ['before', 'is'],
  durationGt: ['duration', '>'],
  durationGte: ['duration', '>='],
  durationLt: ['duration', '<'],
  durationLte: ['duration', '<='],
  tokensGt: ['tokens', '>'],
  tokensGte: ['tokens', '>='],
  tokensLt: ['tokens', '<'],
  tokensLte: ['tokens', '<='],
};

export const FILTER_PARAMETERS: readonly string[] = [...Object.keys(PARAMETERS), 'q'];

function fieldTerm(parameter: string, value: string): FieldTerm {
  const [name, op] = PARAMETERS[parameter] as [string, Operator];
  const field = findField(name);
  if (!field) throw new Error(`parameter ${parameter} names no field`);
  const raw = value.split(',').map((v) => v.trim());
  try {
    const values = raw.map((v) => field.parse(v, op));
    return { type: 'field', field: field.name, op, values, raw, negated: false, position: 0 };
  } catch (problem) {
    if (!(problem instanceof ValueProblem)) throw problem;
    throw new FilterError(`"${parameter}": ${problem.message}`, 0, 1, problem.suggestion, parameter);
  }
}

/**
 * The filter the parameters describe. `q` is plain text: every word must appear (as with free text in a
 * filter), and nothing in it is syntax.
 */
export function filterFromParams(params: FilterParams): Filter {
  const terms: Term[] = [];
  for (const [parameter, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    if (parameter === 'q') {
      for (const word of value.split(/\s+/).filter(Boolean)) {
        terms.push({ type: 'text', text: word, quoted: false, prefix: false, negated: false, position: 0 });
      }
    } else if (parameter in PARAMETERS) {
      terms.push(fieldTerm(parameter, value));
    }
  }
  return { terms };
}
