import type { SignalType } from "./signal-types.js";

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
