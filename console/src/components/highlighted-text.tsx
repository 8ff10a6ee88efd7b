import type { TextSpan } from "../api/types";
import { splitAtSpans } from "./spans";

/**
 * Text with spans marked, exactly as it was written: the spans index the
 * original text (UTF-16), so nothing is normalised or re-cased.
 */
export function HighlightedText({ text, spans, testId }: { text: string; spans: readonly TextSpan[]; testId?: string }) {
  return (
    <span className="original-text" data-testid={testId}>
      {splitAtSpans(text, spans).map((p, i) => (p.isMarked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}
