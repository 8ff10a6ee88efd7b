import type { PolicySet } from "./format.js";
import { validatePolicySet } from "./validate.js";

// Surfaces where text is content a platform can hold. Searches, typeahead and
// search hashtags go through the search gate, which blocks them with help
// resources on the spot; there is nothing there to hold or queue.
// csam matches have their own rule; the verdict rules cover every other category.
const notCsam = { field: "category", op: "!=", value: "csam" } as const;

const contentSurfaces = ["post", "comment", "bio", "image_text", "username", "display_name", "hashtag"];

const minorSubject = { signal: "age-band", where: [{ field: "isMinor", op: "==", value: true }] } as const;
// Lexicon categories that mean sexual exploitation (the built-in lexicon's coded terms and emoji codes,
// and the categories operators' lexicons use for solicitation, grooming and sextortion).
const exploitationLexiconCategories = ["coded-term", "emoji-code", "solicitation", "grooming", "sextortion"];
// The report reasons (the platform's `report.category`) that are about child safety; docs/events.md asks platforms for `child-safety`.
const childSafetyReportReasons = ["child-safety"];

/**
 * The policy set Lapwing uses until an operator stores one (version 0).
 * Conservative: automation hides content and queues it for a person; only a
 * match against a CSAM hash list also suspends, prepares a report and preserves
 * the media (docs/evidence.md), and every one of those still goes to urgent review. Rules for detectors that are not
 * built yet run in shadow mode, so their effect can be measured first.
 *
 * Bank entries must carry the category `csam` (exactly, lower case) for the
 * first rule to apply; see docs/policies.md.
 */
export const defaultPolicySet: PolicySet = validatePolicySet({
  version: 1,
  policies: [
    {
      id: "known-csam-hash",
      description:
        "Media matched an entry categorised csam in a hash bank. Hide it, suspend the account pending review, open an urgent case, prepare a CyberTipline report (filed only after a child-safety reviewer confirms), and preserve the media in the evidence vault (when one is configured). Hash lists of known abuse material have very few false positives, and every hour such media stays up harms the child shown. Preserving now keeps bytes the event carried inline, which Lapwing never has again and the platform may have deleted by the time a reviewer confirms; the law asks for a year's preservation of what is reported, and a dismissal ends it at once.",
      when: { signal: "hash-match", where: [{ field: "category", op: "==", value: "csam" }] },
      then: [{ decision: "hold" }, { decision: "review", priority: "urgent" }, { decision: "suspend" }, { decision: "report" }, { decision: "preserve" }],
      mode: "enforce",
      priority: 100,
    },
    {
      id: "minor-involved-safeguard",
      description:
        "The subject appears to be a minor (declared or estimated) and there is evidence of sexual-exploitation risk: a known-CSAM hash match, an exploitation lexicon term, a seller advert, or being targeted by a suspected network. Send help resources as well as whatever else the other policies decide: a child caught up in this is to be protected, not only punished. Reports alone, and matches or reports of other kinds (spam, impersonation, harassment), never send it: telling a child that help for sexual exploitation is available because of an unrelated report harms them.",
      when: {
        all: [
          minorSubject,
          {
            any: [
              { signal: "hash-match", where: [{ field: "category", op: "==", value: "csam" }] },
              { signal: "lexicon-hit", where: [{ field: "category", op: "in", value: exploitationLexiconCategories }] },
              { signal: "advert-score", where: [{ field: "level", op: "in", value: ["review", "high"] }] },
              { signal: "network.targeted", where: [{ field: "strength", op: ">=", value: 0.5 }] },
            ],
          },
        ],
      },
      then: [{ decision: "safeguard" }],
      mode: "enforce",
      priority: 90,
    },
    {
      id: "minor-reported-for-child-safety",
      description:
        "The subject appears to be a minor and users reported them for child safety. A person looks first (high priority) and may safeguard them: a report is not evidence on its own, and reports are sometimes used to harass.",
      when: { all: [minorSubject, { signal: "user-report", where: [{ field: "reportReason", op: "in", value: childSafetyReportReasons }] }] },
      then: [{ decision: "review", priority: "high" }],
      mode: "enforce",
      priority: 85,
    },
    {
      id: "blocking-bank-match",
      description:
        "Media matched a bank whose own verdict is block, in a category other than csam (the rule above handles that). Hide it and queue an urgent review; no suspension or report until a person has looked.",
      when: { signal: "hash-match", where: [notCsam, { field: "matchVerdict", op: "==", value: "block" }] },
      then: [{ decision: "hold" }, { decision: "review", priority: "urgent" }],
      mode: "enforce",
      priority: 80,
    },
    {
      id: "holding-bank-match",
      description: "Media matched a bank whose verdict is hold. Hide it and queue a high-priority review.",
      when: { signal: "hash-match", where: [notCsam, { field: "matchVerdict", op: "==", value: "hold" }] },
      then: [{ decision: "hold" }, { decision: "review", priority: "high" }],
      mode: "enforce",
      priority: 70,
    },
    {
      id: "reviewing-bank-match",
      description: "Media matched a bank whose verdict is review. Queue a normal review; the media stays up meanwhile.",
      when: { signal: "hash-match", where: [notCsam, { field: "matchVerdict", op: "==", value: "review" }] },
      then: [{ decision: "review", priority: "normal" }],
      mode: "enforce",
      priority: 60,
    },
    {
      id: "block-term-in-content",
      description:
        "Content text (a post, comment, bio, name, hashtag or text in an image) contains a block-severity lexicon term. Hide it and queue a high-priority review: lexicon terms are documented coded language, but context (news, research, survivors) can be legitimate, so a person decides.",
      when: {
        signal: "lexicon-hit",
        where: [
          { field: "severity", op: "==", value: "block" },
          { field: "surface", op: "in", value: contentSurfaces },
        ],
      },
      then: [{ decision: "hold" }, { decision: "review", priority: "high" }],
      mode: "enforce",
      priority: 50,
    },
    {
      id: "seller-advert-high",
      description:
        "Text reads strongly as an advert selling abuse material (a menu, prices, off-platform contact). Hide it and queue a high-priority review; sellers are the hubs of the networks this project exists to break up.",
      when: { signal: "advert-score", where: [{ field: "level", op: "==", value: "high" }] },
      then: [{ decision: "hold" }, { decision: "review", priority: "high" }],
      mode: "enforce",
      priority: 50,
    },
    {
      id: "review-term-in-content",
      description: "Content text contains a review-severity lexicon term. Queue a normal review; nothing is hidden.",
      when: {
        signal: "lexicon-hit",
        where: [
          { field: "severity", op: "==", value: "review" },
          { field: "surface", op: "in", value: contentSurfaces },
        ],
      },
      then: [{ decision: "review", priority: "normal" }],
      mode: "enforce",
      priority: 20,
    },
    {
      id: "seller-advert-review",
      description: "Text reads somewhat like a seller advert (score at the review threshold). Queue a normal review; nothing is hidden.",
      when: { signal: "advert-score", where: [{ field: "level", op: "==", value: "review" }] },
      then: [{ decision: "review", priority: "normal" }],
      mode: "enforce",
      priority: 20,
    },
    {
      id: "child-safety-reports",
      description:
        "Users reported the account for child safety. One report queues a normal review; reports are noisy (and sometimes used to harass), so they never hide or suspend anything on their own.",
      when: { signal: "user-report", where: [{ field: "reportReason", op: "in", value: childSafetyReportReasons }] },
      then: [{ decision: "review", priority: "normal" }],
      mode: "enforce",
      priority: 10,
    },
    {
      id: "repeated-child-safety-reports",
      description: "Three or more child-safety reports about the same subject raise the review to high priority.",
      when: { signal: "user-report", where: [{ field: "reportReason", op: "in", value: childSafetyReportReasons }], atLeast: 3 },
      then: [{ decision: "review", priority: "high" }],
      mode: "enforce",
      priority: 15,
    },
    {
      id: "network-targeted",
      description:
        "Network detection found the account, a minor's, followed by several suspected accounts (strength 0.5 or more): a person looks soon, to protect the child and to find who is targeting them. Safeguarding itself follows from minor-involved-safeguard when the platform marks the account as a minor's.",
      when: { signal: "network.targeted", where: [{ field: "strength", op: ">=", value: 0.5 }] },
      then: [{ decision: "review", priority: "high" }],
      mode: "enforce",
      priority: 0,
    },
    {
      id: "network-suspected",
      description:
        "Network detection scored the account 0.5 or more: tied to seeded or confirmed members, with its content and ban-evasion links counted (docs/network.md). A person looks before anything happens: review only, no automated action.",
      when: { signal: "network-score", where: [{ field: "score", op: ">=", value: 0.5 }] },
      then: [{ decision: "review", priority: "normal" }],
      mode: "enforce",
      priority: 0,
    },
    {
      id: "network-proximity",
      description: "The account sits close to a known abuse network (network score 0.8 or more): review it soon.",
      when: { signal: "network-score", where: [{ field: "score", op: ">=", value: 0.8 }] },
      then: [{ decision: "review", priority: "high" }],
      mode: "enforce",
      priority: 0,
    },
    {
      id: "ban-evasion",
      description:
        "The account looks like a re-creation of a seeded or actioned one (link score 0.9 or more: it names it as its main, shares its contacts, its avatar or its handle). Review at high priority; holding content on a link alone is left to shadow mode until linking has been measured on real traffic.",
      when: { signal: "ban-evasion-link", where: [{ field: "score", op: ">=", value: 0.9 }] },
      then: [{ decision: "review", priority: "high" }],
      mode: "enforce",
      priority: 0,
    },
    {
      id: "ban-evasion-hold",
      description: "What holding the content of a strongly linked re-creation would do: recorded, not acted on.",
      when: { signal: "ban-evasion-link", where: [{ field: "score", op: ">=", value: 0.9 }] },
      then: [{ decision: "hold" }],
      mode: "shadow",
      priority: 0,
    },
  ],
});
