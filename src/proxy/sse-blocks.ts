import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One SSE event as it came (its bytes, for passing it on unchanged) and as eventsource-parser reads it. */
export interface SseBlock {
  raw: string;
  /** The event's data, or null for a block with none (a comment, a bare id priming Last-Event-ID). */
  data: null | string;
  id: string | undefined;
  event: string | undefined;
}

/** An event ends at a blank line (WHATWG HTML, "Server-sent events", interpreting an event stream). */
const BOUNDARY = /\r\n\r\n|\n\n|\r\r/;

/**
 * Cuts a stream's text into whole events, so each can be staged by itself and sent on byte for byte when
 * nothing changes it; the fields of each are read by eventsource-parser, not by hand.
 */
export class SseBlocks {
  #buffer = '';

  feed(text: string): SseBlock[] {
    this.#buffer += text;
    const blocks: SseBlock[] = [];
    for (;;) {
      const match = BOUNDARY.exec(this.#buffer);
      if (!match) break;
      const end = match.index + match[0].length;
      blocks.push(readBlock(this.#buffer.slice(0, end)));
      this.#buffer = this.#buffer.slice(end);
    }
    return blocks;
  }

  /** What is left when the stream ends: an unterminated event, sent on as it is. */
  rest(): string {
    const rest = this.#buffer;
    this.#buffer = '';
    return rest;
  }
}

function readBlock(raw: string): SseBlock {
  let message: EventSourceMessage | null = null;
  const parser = createParser({
    onEvent: (event) => {
      message = event;
    },
  });
  parser.feed(raw);
  const event = message as EventSourceMessage | null;
  return { raw, data: event?.data ?? null, id: event?.id, event: event?.event };
}

/** The event re-written around a new message, keeping its id (resumption) and type. */
export function sseEventText(block: SseBlock, data: string): string {
  const id = block.id === undefined ? '' : `id: ${block.id}\n`;
  const type = block.event === undefined ? '' : `event: ${block.event}\n`;
  return `${type}${id}data: ${data.replace(/\r?\n/g, '\ndata: ')}\n\n`;
}
