export { createBankService, defaultPdqThreshold, type BankService, type BankSettings, type ImportOptions, type ImportResult } from "./service.js";
export { createBankRepository, type BankRepository } from "./repository.js";
export { bankFileFormats, bankFileHeader, bankFileLine, type BankFileFormat } from "./file-formats.js";
export { signalTypes, parseSignalType, normalizeSignal, type SignalType } from "./signal-types.js";
export { matchVerdicts, type Bank, type BankEntry, type BankWithCounts, type BankState, type BankChanges, type MatchVerdict, type NewEntry } from "./types.js";
export type { BankTables } from "./tables.js";
