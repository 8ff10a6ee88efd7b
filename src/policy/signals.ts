// What detectors tell policies. Pure types: detectors (or the workers that run
// them) build these; policies read them; decisions store them as the "why".
// The field names a policy may test are listed once, in signal-fields.ts.

/** Where in the platform's data a signal came from, so a reviewer can check it. */
export interface SignalEvidence {
  /** Ids of what the signal is about: media, post, account, bank entry, report, event. */
  readonly ids: readonly string[];
  /** Spans of text, in UTF-16 code units of the checked text (`text.slice(start, end)`). */
  readonly spans?: readonly TextSpan[];
}

export interface TextSpan {
  readonly start: number;
  readonly end: number;
  /** The matched text, when the signal keeps it. */
  readonly text?: string;
}

/** Fields every signal carries. */
interface SignalBase {
  /** 0..1, how sure the detector is, where that means something (a score, a match closeness). */
  readonly strength?: number;
  /** One human sentence a reviewer can check: "PDQ match at distance 4 in bank \"csam-ncmec\"". */
  readonly reason: string;
  readonly evidence: SignalEvidence;
}

/** A media hash matched a bank entry (src/known-media). */
export interface HashMatchSignal extends SignalBase {
  readonly type: "hash-match";
  /** The bank's name. */
  readonly bank: string;
  /** The matched entry's category, e.g. `csam`, `terror`, `test`. */
  readonly category: string;
  /** `pdq`, `md5` or `sha256`. */
  readonly signalType: string;
  /** Hamming distance for PDQ; 0 for exact digests. */
  readonly distance: number;
  /** The bank's own verdict: `block`, `hold` or `review`. */
  readonly matchVerdict: string;
}

/** A lexicon term matched in text (src/text-check, src/search-gate). */
export interface LexiconHitSignal extends SignalBase {
  readonly type: "lexicon-hit";
  readonly term: string;
  readonly category: string;
  /** `block` or `review`, as the lexicon says. */
  readonly severity: string;
  /** The lexicon's name. */
  readonly lexicon: string;
  /** Where the text appeared: `post`, `bio`, `comment`, `search`, `hashtag`, … */
  readonly surface: string;
}

/** The seller-advert score of a text (src/text/adverts). */
export interface AdvertScoreSignal extends SignalBase {
  readonly type: "advert-score";
  /** 0..1. */
  readonly score: number;
  /** `none`, `low`, `review` or `high`. */
  readonly level: string;
}

/** Closeness of an account to a known network (graph detection, later). */
export interface NetworkScoreSignal extends SignalBase {
  readonly type: "network-score";
  /** 0..1. */
  readonly score: number;
  /** The network or cluster id. */
  readonly cluster: string;
}

/** The account looks like a re-creation of a banned one (later). */
export interface BanEvasionLinkSignal extends SignalBase {
  readonly type: "ban-evasion-link";
  /** The banned account it links to. */
  readonly linkedAccount: string;
  /** 0..1. */
  readonly score: number;
}

/** A user reported the subject. */
export interface UserReportSignal extends SignalBase {
  readonly type: "user-report";
  /** The platform's reason for the report, e.g. `child-safety`, `spam` (`reason` is the human sentence). */
  readonly reportReason: string;
}

/** The subject's age band, as declared by the platform or estimated. */
export interface AgeBandSignal extends SignalBase {
  readonly type: "age-band";
  /** True when the subject appears to be under 18. */
  readonly isMinor: boolean;
  /** `declared` (the platform knows it) or `estimated`. */
  readonly basis: string;
  /** The band as given, e.g. `13-15`, `16-17`, `adult`, `unknown`. */
  readonly band: string;
}

/** Every signal a policy can read. */
/**
 * The account appears to be targeted by a suspected abuse network (network
 * detection: followed, messaged or tagged by accounts of a suspected cluster).
 * Evidence of sexual-exploitation risk for a minor; `strength` says how sure.
 */
export interface NetworkTargetedSignal extends SignalBase {
  readonly type: "network.targeted";
  /** The account being targeted. */
  readonly account: string;
}

export type Signal =
  | HashMatchSignal
  | LexiconHitSignal
  | AdvertScoreSignal
  | NetworkScoreSignal
  | NetworkTargetedSignal
  | BanEvasionLinkSignal
  | UserReportSignal
  | AgeBandSignal;

export type SignalKind = Signal["type"];
