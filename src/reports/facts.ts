import { accountRefOf } from "../events/tenancy.js";
import type { AccountDetails } from "./account-details.js";
import type { FileAnnotation, IncidentType, IndustryClassification, ReportAnnotation, ReportInput, ReporterInput, VictimInput } from "./types.js";

/**
 * The reviewer categories that file a CyberTipline report (when a policy asked
 * for one), with the incident type NCMEC files them under and the
 * annotations they imply.
 */
export const reportableCategories: Readonly<Record<string, { incidentType: IncidentType; annotations: readonly ReportAnnotation[] }>> = {
  csam: { incidentType: "Child Pornography (possession, manufacture, and distribution)", annotations: [] },
  sexual_exploitation: { incidentType: "Child Pornography (possession, manufacture, and distribution)", annotations: [] },
  seller_advert: { incidentType: "Child Pornography (possession, manufacture, and distribution)", annotations: ["csamSolicitation"] },
  child_safety: { incidentType: "Child Pornography (possession, manufacture, and distribution)", annotations: [] },
  grooming: { incidentType: "Online Enticement of Children for Sexual Acts", annotations: [] },
  sextortion: { incidentType: "Online Enticement of Children for Sexual Acts", annotations: ["sextortion"] },
  trafficking: { incidentType: "Child Sex Trafficking", annotations: [] },
};

/**
 * The case's annotations (src/safeguarding's names) as the CyberTipline's:
 * report annotations, and file annotations applied to every content file.
 */
export function annotationsFromCase(annotations: readonly string[]): { report: ReportAnnotation[]; files: FileAnnotation[] } {
  const report = new Set<ReportAnnotation>();
  const files = new Set<FileAnnotation>();
  for (const a of annotations) {
    if (a === "sextortion") report.add("sextortion");
    if (a === "csam_solicitation") report.add("csamSolicitation");
    if (a === "minor_to_minor_interaction") report.add("minorToMinorInteraction");
    if (a === "possible_self_production") files.add("possibleSelfProduction");
    // `grooming` and `targeted_by_network` have no CyberTipline annotation: the incident type and the text say them.
  }
  return { report: [...report], files: [...files] };
}

/** What the case says, fixed when the reviewer confirmed it (stored as `reports.facts`). */
export interface ReportFacts {
  caseId: string;
  accountId: string;
  category: string;
  incidentType: IncidentType;
  annotations: ReportAnnotation[];
  /** When the earliest content of the case happened (else the confirmation time). */
  incidentDateTime: string;
  incidentDateTimeDescription: string;
  /** Text only when the case was escalated (urgent risk to a child). */
  escalateToHighPriority?: string;
  /** The reported account's age band, when the platform sent one. */
  reportedAgeBand?: string;
  /** The child the case is about, as the reviewer's decision named them (src/safeguarding), when known. */
  victim?: { accountId: string; ageBand: string | null };
  /** File annotations every content file of the case carries (`possibleSelfProduction`, from the case). */
  fileAnnotations?: FileAnnotation[];
  /** The industry classification the reviewer gave with the confirm decision, for every content file. */
  industryClassification?: IndustryClassification;
  confirmedAt: string;
}

const minorBands = new Set(["under_13", "13_15", "16_17"]);

/**
 * The report as data: the case's facts, the platform's account details and
 * the configured reporter. A minor reported together with a child victim is
 * marked as a minor-to-minor interaction (NCMEC asks, so the report is read
 * as a young person's, not an adult's).
 */
export function reportInputFrom(facts: ReportFacts, details: AccountDetails, settings: { reporter: ReporterInput; espService: string }): ReportInput {
  const victims: VictimInput[] = (details.victims ?? []).map((v) => ({ espIdentifier: v.espIdentifier, screenName: v.screenName, age: v.age }));
  // The case's own victim (a young person sharing their own images) comes first, unless the platform named them too.
  // Facts name accounts by scoped key (src/events/tenancy.ts); NCMEC gets the platform's own id.
  const victimId = facts.victim ? accountRefOf(facts.victim.accountId).id : undefined;
  if (facts.victim && !victims.some((v) => v.espIdentifier === victimId)) {
    victims.unshift({ espIdentifier: victimId!, additionalInfo: facts.victim.ageBand ? `The platform records this young person's age band as ${facts.victim.ageBand.replace("_", "-")}.` : undefined });
  }
  const annotations = new Set<ReportAnnotation>(facts.annotations);
  if (facts.reportedAgeBand && minorBands.has(facts.reportedAgeBand) && victims.length > 0) annotations.add("minorToMinorInteraction");
  return {
    incidentType: facts.incidentType,
    platform: settings.espService || undefined,
    escalateToHighPriority: facts.escalateToHighPriority,
    annotations: [...annotations],
    incidentDateTime: facts.incidentDateTime,
    incidentDateTimeDescription: facts.incidentDateTimeDescription,
    urls: details.contentUrls,
    reporter: settings.reporter,
    reportedUser: {
      espIdentifier: accountRefOf(facts.accountId).id,
      espService: settings.espService || undefined,
      screenName: details.screenName,
      displayNames: details.displayNames,
      profileUrls: details.profileUrls,
      emails: details.emails,
      ipCaptureEvents: details.ipCaptureEvents,
      additionalInfo: facts.reportedAgeBand && minorBands.has(facts.reportedAgeBand) ? `The platform records this account holder's age band as ${facts.reportedAgeBand.replace("_", "-")}.` : undefined,
    },
    victims,
    additionalInfo: `Confirmed by a reviewer (category ${facts.category}) at ${facts.confirmedAt}; review case ${facts.caseId}.`,
  };
}
