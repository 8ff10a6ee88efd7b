// Apart from the service so that the command line can offer the states as choices
// (`lapwing reports list --state`) without loading the service, its XML builders and the store.

/**
 * Where a report is in NCMEC's flow. Each step commits before the next starts:
 * - `draft`: created at confirmation; the platform's account details and the vault's files are next;
 * - `account_details_failed`: the account-details callback failed; retried with backoff;
 * - `ready`: the XML is built (`lapwing reports xml` prints it); submitting is next;
 * - `submitting`: the submit was sent and its answer not yet recorded (found so at the next step: the answer
 *   was lost, and NCMEC may hold an unfinished report from it; `lostSubmits` says when);
 * - `submitted`: NCMEC holds an open report (`ncmecReportId`); each file is uploaded, then its details sent
 *   (the files' own states say how far);
 * - `finishing`: the finish was sent and its answer not yet recorded;
 * - `finished`: filed with NCMEC; final;
 * - `failed`: a permanent error (refused document, credentials not authorised, ...): the open report, if any,
 *   was retracted; `hint` says what to do, then retry.
 */
export const reportStates = ["draft", "account_details_failed", "ready", "submitting", "submitted", "finishing", "finished", "failed"] as const;
export type ReportState = (typeof reportStates)[number];
