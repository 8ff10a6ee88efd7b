// Imports nothing, so the Node tests can load it as it is (test/http/console-spans.test.ts).

/** A span of text in UTF-16 code units, as signals' evidence gives it. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Sorted, non-overlapping spans inside a text of `length`: repeated and
 * overlapping spans (one term found by several views of the text) merge;
 * empty, negative, fractional or out-of-range spans are dropped or clipped.
 */
export function mergeSpans(spans: readonly Span[], length: number): Span[] {
  const valid = spans
    .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end > s.start && s.start < length)
    .map((s) => ({ start: s.start, end: Math.min(s.end, length) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of valid) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** The text cut into plain and marked parts at the spans, in order; joined, the parts give the text back unchanged. */
export function splitAtSpans(text: string, spans: readonly Span[]): Array<{ text: string; isMarked: boolean }> {
  const parts: Array<{ text: string; isMarked: boolean }> = [];
  let at = 0;
  for (const { start, end } of mergeSpans(spans, text.length)) {
    if (start > at) parts.push({ text: text.slice(at, start), isMarked: false });
    parts.push({ text: text.slice(start, end), isMarked: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), isMarked: false });
  return parts;
}
