import { useState } from "react";
import type { CaseDetail, DecisionExtra, IndustryClassification, ReviewerDecision } from "../api/types";
import { ConfirmDialog } from "./dialog";

/** Categories a confirmation records; the child-safety ones also make the account a network seed (docs/network.md). */
export const categories = ["csam", "grooming", "seller_advert", "sexual_exploitation", "sextortion", "child_safety", "trafficking", "spam", "other"] as const;

/** The category the signals suggest, so a confirmation is one key press in the common case. */
export function suggestedCategory(detail: CaseDetail): string {
  const signals = detail.decisions.flatMap((d) => d.signals);
  const has = (type: string, test: (s: Record<string, unknown>) => boolean = () => true) => signals.some((s) => s.type === type && test(s as Record<string, unknown>));
  if (has("hash-match", (s) => s.category === "csam")) return "csam";
  if (has("advert-score") || has("lexicon-hit")) return "seller_advert";
  if (has("network.targeted") || has("user-report", (s) => s.reportReason === "child-safety")) return "child_safety";
  return "other";
}

export type DialogKind = "confirm" | "safeguard" | null;

/**
 * The four decisions. Confirm and safeguard remove content on the platform
 * (they cannot be undone), so they ask first; dismiss and escalate do not.
 */
export function DecisionBar(props: {
  detail: CaseDetail;
  enabled: boolean;
  busy: boolean;
  dialog: DialogKind;
  setDialog(kind: DialogKind): void;
  onDecide(decision: ReviewerDecision, extra: DecisionExtra): void;
}) {
  const { detail, enabled, busy, dialog, setDialog, onDecide } = props;
  const [note, setNote] = useState("");
  const [category, setCategory] = useState(() => suggestedCategory(detail));
  const [classification, setClassification] = useState<IndustryClassification | "">("");
  const extra = () => ({ note: note.trim() || undefined });
  const liveActions = detail.actions.filter((a) => !a.reverses).length;
  return (
    <section className="panel decision-bar" aria-labelledby="decide-title" data-testid="decision-bar">
      <h2 id="decide-title">Decide</h2>
      <div className="decide">
        <button type="button" className="primary" disabled={!enabled || busy} onClick={() => setDialog("confirm")} data-testid="decide-confirm">
          Confirm… <kbd>c</kbd>
        </button>
        <button type="button" disabled={!enabled || busy} onClick={() => onDecide("dismiss", extra())} data-testid="decide-dismiss">
          Dismiss <kbd>d</kbd>
        </button>
        <button type="button" disabled={!enabled || busy} onClick={() => onDecide("escalate", extra())} data-testid="decide-escalate">
          Escalate <kbd>e</kbd>
        </button>
        <button type="button" disabled={!enabled || busy} onClick={() => setDialog("safeguard")} data-testid="decide-safeguard">
          Safeguard… <kbd>s</kbd>
        </button>
      </div>
      <p className="muted small">
        Confirm keeps suspensions and removes held content; dismiss reverses every automated action ({liveActions} so far); escalate returns the case as urgent for a senior
        reviewer; safeguard sends help to an account holder who appears to be a minor.
      </p>
      <label>
        Note <span className="muted small">(optional, kept with the decision)</span>
        <textarea rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="decision-note" />
      </label>
      {dialog === "confirm" && (
        <ConfirmDialog
          title="Confirm the violation"
          confirmLabel="Confirm and remove"
          danger
          busy={busy}
          onCancel={() => setDialog(null)}
          onConfirm={() => onDecide("confirm", { ...extra(), category, ...(classification ? { industryClassification: classification } : {}) })}
        >
          <p>Held and blocked content of {detail.accountId} is removed on the platform; suspensions stay. This cannot be undone from here.</p>
          <label>
            What you found
            <select value={category} onChange={(e) => setCategory(e.target.value)} data-testid="confirm-category">
              {categories.map((c) => (
                <option key={c} value={c}>
                  {c.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </label>
          {detail.reportRequested && <ClassificationField value={classification} onChange={setClassification} />}
        </ConfirmDialog>
      )}
      {dialog === "safeguard" && (
        <ConfirmDialog title="Safeguard this account holder" confirmLabel="Safeguard" busy={busy} onCancel={() => setDialog(null)} onConfirm={() => onDecide("safeguard", extra())}>
          <p>
            {detail.accountId} appears to be a minor: help resources are sent to them, their suspension is lifted, and their held content is removed (it may show them). The
            removal cannot be undone from here.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/**
 * NCMEC's industry classification, in its own two axes (docs/reporting.md):
 * the apparent age of the child and what the content shows. It is sent with
 * every file of the CyberTipline report; "not classified" leaves it out, and
 * NCMEC reads that as unknown.
 */
export const classificationChoices: ReadonlyArray<{ value: IndustryClassification; age: string; content: string }> = [
  { value: "A1", age: "prepubescent", content: "a sex act" },
  { value: "A2", age: "prepubescent", content: "a lascivious exhibition" },
  { value: "B1", age: "pubescent", content: "a sex act" },
  { value: "B2", age: "pubescent", content: "a lascivious exhibition" },
];

/** Shown only where a confirmation may file a report (the case's policies asked for one). */
function ClassificationField(props: { value: IndustryClassification | ""; onChange(value: IndustryClassification | ""): void }) {
  return (
    <div className="classification" data-testid="confirm-classification-field">
      <label>
        Industry classification <span className="muted small">(optional, for the CyberTipline report)</span>
        <select
          value={props.value}
          onChange={(e) => props.onChange(e.target.value as IndustryClassification | "")}
          aria-describedby="classification-help"
          data-testid="confirm-classification"
        >
          <option value="">not classified</option>
          {classificationChoices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.value}: {c.age}, {c.content}
            </option>
          ))}
        </select>
      </label>
      <div id="classification-help" className="muted small">
        <p>
          NCMEC's industry categories describe the files you reviewed: the letter is the apparent age of the child (A prepubescent, B pubescent), the digit what the
          content shows (1 a sex act, 2 a lascivious exhibition). The choice is sent with every file of this case's report. If you are unsure, leave it not classified:
          NCMEC then treats it as unknown.
        </p>
      </div>
    </div>
  );
}
