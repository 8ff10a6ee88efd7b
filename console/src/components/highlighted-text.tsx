import type { TextSpan } from "../api/types";

/**
 * Text with spans marked, exactly as it was written: the spans index the
 * original text (UTF-16), so nothing is normalised or re-cased. Overlapping
 * or repeated spans are merged; spans outside the text are ignored.
 */
export function HighlightedText({ text, spans, testId }: { text: string; spans: readonly TextSpan[]; testId?: string }) {
  const merged = mergeSpans(spans, text.length);
  const parts: Array<string | { mark: string }> = [];
  let at = 0;
  for (const { start, end } of merged) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push({ mark: text.slice(start, end) });
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return (
    <span className="original-text" data-testid={testId}>
      {parts.map((p, i) => (typeof p === "string" ? <span key={i}>{p}</span> : <mark key={i}>{p.mark}</mark>))}
    </span>
  );
}

export function mergeSpans(spans: readonly TextSpan[], length: number): Array<{ start: number; end: number }> {
  const valid = spans
    .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end > s.start && s.start < length)
    .map((s) => ({ start: s.start, end: Math.min(s.end, length) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Array<{ start: number; end: number }> = [];
  for (const s of valid) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}
