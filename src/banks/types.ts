// The vocabulary of banks is kept here, apart from the code that parses and checks signals, so that the
// command line can offer these lists as choices without loading the matching library.

/** The kinds of signal a bank entry can hold. */
export const signalTypes = ["pdq", "md5", "sha256"] as const;
export type SignalType = (typeof signalTypes)[number];

/**
 * The CSV layouts a bank can be imported from and exported to.
 * - `lapwing`: `signal_type,signal,bank,category,note`
 * - `threatexchange`: ThreatExchange's export, `signal_type,signal_str,collab,category,tags`
 *   (the collaboration names the bank; tags become the note).
 */
export const bankFileFormats = ["lapwing", "threatexchange"] as const;
export type BankFileFormat = (typeof bankFileFormats)[number];


/** What a match in a bank asks the platform to do, until policies (issue 4) decide more finely. */
export const matchVerdicts = ["block", "hold", "review"] as const;
export type MatchVerdict = (typeof matchVerdicts)[number];

export interface Bank {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  /** Largest PDQ Hamming distance that counts as a match for this bank (0–255; default 31). */
  pdqThreshold: number;
  matchVerdict: MatchVerdict;
  createdAt: string;
  updatedAt: string;
}

export interface BankWithCounts extends Bank {
  entryCount: number;
}

export interface BankEntry {
  id: string;
  bankId: string;
  signalType: SignalType;
  signal: string;
  source: string;
  category: string;
  note: string;
  addedAt: string;
  removedAt: string | null;
}

export interface NewEntry {
  signalType: SignalType;
  signal: string;
  source?: string;
  category?: string;
  note?: string;
}

/** A bank as the in-memory index needs it: its ordinal tags each indexed hash. */
export interface BankState {
  ordinal: number;
  id: string;
  name: string;
  enabled: boolean;
  pdqThreshold: number;
  matchVerdict: MatchVerdict;
  deleted: boolean;
}

/** One page of the change feed: everything with cursor < seq ≤ nextCursor. */
export interface BankChanges {
  nextCursor: number;
  /** True when the feed has more beyond nextCursor; call again. */
  hasMore: boolean;
  addedPdq: Array<{ key: number; bankOrdinal: number; signal: string }>;
  removedKeys: number[];
  banks: BankState[];
}
