// Synthetic signals for tests and examples: stand-in banks, terms and ids, no real material.
import type { AdvertScoreSignal, AgeBandSignal, HashMatchSignal, LexiconHitSignal, NetworkScoreSignal, NetworkTargetedSignal, UserReportSignal } from "./signals.js";

export function hashMatch(changes: Partial<HashMatchSignal> = {}): HashMatchSignal {
  const s = { type: "hash-match", bank: "test-csam", category: "csam", signalType: "pdq", distance: 4, matchVerdict: "block", evidence: { ids: ["media:m1", "entry:e1"] }, ...changes } as const;
  return { reason: `PDQ match at distance ${s.distance} in bank "${s.bank}" (category ${s.category})`, ...s };
}

export function lexiconHit(changes: Partial<LexiconHitSignal> = {}): LexiconHitSignal {
  const s = { type: "lexicon-hit", term: "quorblex", category: "coded-term", severity: "block", lexicon: "default", surface: "post", evidence: { ids: ["post:p1"], spans: [{ start: 5, end: 13, text: "quorblex" }] }, ...changes } as const;
  return { reason: `The ${s.surface} contains the ${s.severity}-severity term "${s.term}"`, ...s };
}

export function advertScore(score: number, level: string): AdvertScoreSignal {
  return { type: "advert-score", score, level, strength: score, reason: `Reads as a seller advert (score ${score}, ${level})`, evidence: { ids: ["post:p1"] } };
}

export function ageBand(isMinor: boolean, basis = "declared"): AgeBandSignal {
  return { type: "age-band", isMinor, basis, band: isMinor ? "13-15" : "adult", reason: `The platform ${basis === "declared" ? "declares" : "estimates"} the account holder is ${isMinor ? "13-15" : "an adult"}`, evidence: { ids: ["account:a1"] } };
}

export function userReport(reportReason = "child-safety", id = "r1"): UserReportSignal {
  return { type: "user-report", reportReason, reason: `A user reported the account (${reportReason})`, evidence: { ids: [`report:${id}`] } };
}

export function networkScore(score: number): NetworkScoreSignal {
  return { type: "network-score", score, cluster: "c1", strength: score, reason: `Close to network c1 (score ${score})`, evidence: { ids: ["account:a1"] } };
}

export function networkTargeted(strength: number, account = "a1"): NetworkTargetedSignal {
  return { type: "network.targeted", account, strength, reason: `Account ${account} is targeted by accounts of a suspected network (strength ${strength})`, evidence: { ids: [`account:${account}`] } };
}
