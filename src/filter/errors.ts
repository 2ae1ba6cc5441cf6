export interface FilterErrorJson {
  error: string;
  position: number;
  length: number;
  suggestion: string | null;
  parameter?: string;
}

/**
 * A filter that cannot be understood. The message says what is wrong and how to write it instead;
 * `position` (0-based offset into the filter text) and `length` let an editor underline the culprit.
 */
export class FilterError extends Error {
  readonly position: number;
  readonly length: number;
  readonly suggestion: string | null;
  /** Set when the problem is in a query parameter (`durationGt=abc`) rather than in the filter text. */
  readonly parameter: string | null;

  constructor(
    message: string,
    position: number,
    length = 1,
    suggestion: string | null = null,
    parameter: string | null = null,
  ) {
    super(message);
    this.name = 'FilterError';
    this.position = position;
    this.length = Math.max(1, length);
    this.suggestion = suggestion;
    this.parameter = parameter;
  }

  toJSON(): FilterErrorJson {
    const json: FilterErrorJson = {
      error: this.message,
      position: this.position,
      length: this.length,
      suggestion: this.suggestion,
    };
    if (this.parameter !== null) json.parameter = this.parameter;
    return json;
  }
}

/** Thrown by a field's value parser; the parser turns it into a FilterError at the value's position. */
export class ValueProblem extends Error {
  readonly suggestion: string | null;

  constructor(message: string, suggestion: string | null = null) {
    super(message);
    this.name = 'ValueProblem';
    this.suggestion = suggestion;
  }
}
