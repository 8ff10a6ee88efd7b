import type { CaseDecision, Signal } from "../api/types";
import { Link } from "../router";
import { HighlightedText } from "./highlighted-text";

/** The field a signal's evidence names (`field:/account/bio` gives `/account/bio`). */
export function fieldOf(signal: Signal): string | undefined {
  return signal.evidence.ids.find((id) => id.startsWith("field:"))?.slice("field:".length);
}

const fieldNames: Record<string, string> = {
  "/account/bio": "bio",
  "/account/handle": "handle",
  "/account/display_name": "display name",
  "/post/text": "post",
  "/comment/text": "comment",
  "/account/avatar": "avatar",
};
export function fieldName(field: string): string {
  return fieldNames[field] ?? field.replace(/^\//, "").replace(/\//g, " ");
}

function idsWith(signal: Signal, prefix: string): string[] {
  return signal.evidence.ids.filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length));
}

/** The facts a reviewer checks, per signal type, beside its one-sentence reason. */
function facts(signal: Signal): Array<[string, string]> {
  const s = signal as Record<string, unknown>;
  const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  switch (signal.type) {
    case "hash-match":
      return [
        ["bank", str(s.bank)],
        ["category", str(s.category)],
        ["hash", str(s.signalType)],
        ["distance", str(s.distance)],
        ["bank verdict", str(s.matchVerdict)],
        ["entry", idsWith(signal, "bank-entry:").join(", ")],
        ["media", [...idsWith(signal, "media:"), ...(fieldOf(signal) ? [fieldName(fieldOf(signal)!)] : [])].join(", ")],
      ];
    case "lexicon-hit":
      return [
        ["term", str(s.term)],
        ["category", str(s.category)],
        ["severity", str(s.severity)],
        ["lexicon", str(s.lexicon)],
        ["where", str(s.surface)],
      ];
    case "advert-score":
      return [
        ["score", typeof s.score === "number" ? s.score.toFixed(2) : str(s.score)],
        ["level", str(s.level)],
        ["where", fieldOf(signal) ? fieldName(fieldOf(signal)!) : ""],
      ];
    case "user-report":
      return [
        ["reason given", str(s.reportReason)],
        ["report", idsWith(signal, "report:").join(", ")],
      ];
    case "age-band":
      return [
        ["band", str(s.band)],
        ["basis", str(s.basis)],
        ["minor", s.isMinor ? "yes" : "no"],
      ];
    case "network-score":
      return [
        ["score", typeof s.score === "number" ? s.score.toFixed(2) : str(s.score)],
        ["cluster", str(s.cluster)],
      ];
    case "ban-evasion-link":
      return [
        ["linked to", str(s.linkedAccount)],
        ["score", typeof s.score === "number" ? s.score.toFixed(2) : str(s.score)],
      ];
    case "network.targeted":
      return [["account", str(s.account)]];
    default:
      return [];
  }
}

/** Every signal of one automated decision, with its reason, its evidence and the matched words in the original text. */
export function SignalList({ decision, canSeeNetwork }: { decision: CaseDecision; canSeeNetwork: boolean }) {
  return (
    <div>
      {decision.signals.map((signal, i) => {
        const field = fieldOf(signal);
        const text = field ? decision.texts.find((t) => t.field === field)?.text : undefined;
        const spans = signal.evidence.spans ?? [];
        const linked = signal.type === "ban-evasion-link" ? String((signal as Record<string, unknown>).linkedAccount ?? "") : "";
        return (
          <div key={i} className={`signal ${signal.type.replace(/\W/g, "-")}`} data-testid="signal" data-signal-type={signal.type}>
            <div>
              <strong>{signal.type}</strong> {signal.reason}
            </div>
            <dl className="facts small">
              {facts(signal)
                .filter(([, v]) => v !== "")
                .map(([k, v]) => (
                  <div key={k} className="fact">
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
            </dl>
            {text !== undefined && (signal.type === "lexicon-hit" || signal.type === "advert-score") && (
              <p className="quote small">
                <span className="muted">{fieldName(field!)}: </span>
                <HighlightedText text={text} spans={spans} testId="signal-text" />
              </p>
            )}
            {linked && canSeeNetwork && <Link to={`/network/${encodeURIComponent(linked)}`}>Network view of {linked}</Link>}
          </div>
        );
      })}
    </div>
  );
}
