import { findAll, vocabularyOf, type AdvertText, type Evidence } from "./evidence.js";

// Bounded repetition: a long run of handle characters must not make the search quadratic.
const BACKUP_HANDLE = /@[A-Za-z0-9_.]{0,30}?(?:backup|bkp|bckp|bkup)[A-Za-z0-9_.]{0,30}/giu;
const BACKUP_NEAR_ACCOUNT = /\bbackup (?:@|acc|account|page|profile|ig|insta|is|here)/gu;

/**
 * `backup-account`: account churn after bans ("backup acc", "bkp", "new acc",
 * "if banned follow", "main got banned", a handle ending in "_backup").
 * The bare word "backup" counts for little (backup drives, backup singers).
 */
export function backupEvidence(text: AdvertText, out: Evidence[]): void {
  for (const { hit, kind } of vocabularyOf(text, "backup")) {
    const isAccount = kind === "account";
    out.push({ signal: "backup-account", weight: isAccount ? 1.2 : 0.25, start: hit.start, end: hit.end, label: isAccount ? "a backup or replacement account" : "the word \"backup\"" });
  }
  findAll(text.raw, text.original, BACKUP_HANDLE, () => ({ signal: "backup-account", weight: 1.2, label: "a backup handle" }), out);
  findAll(text.folded, text.original, BACKUP_NEAR_ACCOUNT, () => ({ signal: "backup-account", weight: 1.2, label: "a backup account" }), out);
}
