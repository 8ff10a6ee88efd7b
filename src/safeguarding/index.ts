/**
 * Safeguarding: when the subject of a case appears to be a minor sharing
 * their own images (often under coercion or sextortion), the case offers a
 * safeguarding decision. It tells the platform to show them help (NCMEC's
 * Take It Down, crisis resources by country), records them as the victim with
 * the report's annotations, and keeps them from suspected accounts in the
 * recommender guard. docs/safeguarding.md.
 *
 * @packageDocumentation
 */
export { assessSafeguarding, reportAnnotations, type CaseVictim, type ReportAnnotation, type SafeguardingAssessment } from "./assess.js";
export { defaultSafeguardResources, loadSafeguardResources, type SafeguardResources } from "./resources.js";
