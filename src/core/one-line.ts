/**
 * Text shown on one line of a table: whitespace runs made one space, the ends trimmed, and at most `max`
 * characters, a longer text cut to its first `max - 1` and "…".
 *
 * Summaries clip every captured message this way. Most texts need no collapsing at all (words apart by
 * single spaces), and for those the answer is the text itself, or one slice of it: collapsing with a
 * regular expression built a new copy of up to 960 characters for each clip: 38 of the 281 MB the capture
 * worker allocated for the benchmark's traffic (bench/capture.ts), sampled with the heap profiler.
 */
export function clipLine(text: string, max: number): string {
  // Only the start is shown: flattening all of a 64 KB result to keep `max` characters of it would cost the
  // capture worker more than storing it. Twice `max` nearly always flattens to more than `max`, and then
  // its first `max - 1` characters are those of the longer head's (runs of whitespace collapse alone).
  if (text.length > max * 2) {
    // The first `max + 1` characters are already one line: so is the flattened head's start, longer than `max`.
    if (alreadyFlat(text, max + 1)) return `${text.slice(0, max - 1)}…`;
    const flat = collapse(text.slice(0, max * 2));
    if (flat.length > max) return `${flat.slice(0, max - 1)}…`;
  } else if (alreadyFlat(text, text.length)) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }
  const head = text.length > max * 8 ? text.slice(0, max * 8) : text;
  const flat = collapse(head);
  return flat.length > max || head !== text ? `${flat.slice(0, max - 1)}…` : flat;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Whether collapsing and trimming would leave the first `count` characters of `text` as they are: no
 * whitespace among them but single spaces between two other characters.
 */
function alreadyFlat(text: string, count: number): boolean {
  for (let i = 0; i < count; i++) {
    const code = text.charCodeAt(i);
    if (!isSpace(code)) continue;
    if (code !== 0x20 || i === 0 || i + 1 >= text.length || isSpace(text.charCodeAt(i + 1))) return false;
  }
  return true;
}

/** The characters of the regular expression class `\s` (and of `String.prototype.trim`). */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
