import type { Signal } from "../policy/index.js";

/**
 * Report annotations Lapwing can justify from its signals or a reviewer's
 * word, named after the CyberTipline's incident and file annotations (the
 * reporting flow maps them to the schema's elements).
 */
export const reportAnnotations = [
  "sextortion",
  "csam_solicitation",
  "grooming",
  "minor_to_minor_interaction",
  "possible_self_production",
  "targeted_by_network",
] as const;
export type ReportAnnotation = (typeof reportAnnotations)[number];

/** The child a case is about, as the report names them. */
export interface CaseVictim {
  /** The platform account of the young person (the case's account, for self-generated material). */
  accountId: string;
  /** The platform's band (`13_15`, …) or the estimate, when known. */
  ageBand: string | null;
  /** `declared` or `estimated`, when known. */
  ageBasis: string | null;
}

export interface SafeguardingAssessment {
  /** The case should offer a safeguarding decision: the subject appears to be a minor and there is evidence of exploitation risk. */
  offered: boolean;
  isMinor: boolean;
  victim: CaseVictim | null;
  annotations: ReportAnnotation[];
  /** Why, in sentences a reviewer reads. */
  reasons: string[];
}

const exploitationLexicon = new Set(["coded-term", "emoji-code", "solicitation", "grooming", "sextortion"]);

/**
 * Whether a case about `accountId` looks like a minor sharing their own
 * images, from the signals of its decisions. The same bar as the
 * `minor-involved-safeguard` policy: the subject appears to be a minor AND
 * there is evidence of exploitation risk (a CSAM hash match on their own
 * content, an exploitation lexicon term, a seller advert, being targeted by a
 * suspected network). Reports alone never qualify.
 */
export function assessSafeguarding(accountId: string, signals: readonly Signal[]): SafeguardingAssessment {
  const age = [...signals].reverse().find((s): s is Extract<Signal, { type: "age-band" }> => s.type === "age-band");
  const isMinor = age?.isMinor === true;
  const annotations = new Set<ReportAnnotation>();
  const reasons: string[] = [];
  let risk = false;
  for (const s of signals) {
    switch (s.type) {
      case "hash-match":
        if (s.category === "csam") {
          risk = true;
          if (isMinor) annotations.add("possible_self_production");
        }
        break;
      case "lexicon-hit":
        if (exploitationLexicon.has(s.category)) risk = true;
        if (s.category === "sextortion") annotations.add("sextortion");
        if (s.category === "solicitation") annotations.add("csam_solicitation");
        if (s.category === "grooming") annotations.add("grooming");
        break;
      case "advert-score":
        if (s.level === "review" || s.level === "high") risk = true;
        break;
      case "network.targeted":
        if ((s.strength ?? 0) >= 0.5) {
          risk = true;
          annotations.add("targeted_by_network");
        }
        break;
      default:
        break;
    }
  }
  if (isMinor) reasons.push(`The account appears to be a minor (${age!.band}, ${age!.basis}).`);
  if (risk) reasons.push("There is evidence of sexual-exploitation risk (a CSAM match on their own content, an exploitation term, a seller advert, or a suspected network targeting them).");
  if (annotations.has("possible_self_production")) reasons.push("Known abuse media on a minor's own account may be self-generated, often under coercion: treat them as a child to protect.");
  const offered = isMinor && risk;
  return {
    offered,
    isMinor,
    victim: isMinor ? { accountId, ageBand: age!.band, ageBasis: age!.basis } : null,
    annotations: isMinor ? [...annotations] : [...annotations].filter((a) => a !== "possible_self_production"),
    reasons,
  };
}
