// A small synthetic platform for the console's tests (HTTP and browser): a
// stand-in lexicon, a synthetic "csam" hash bank, console users of each role,
// and events that open cases of every kind the queue shows. Every word, hash
// and account is made up; nothing here is real material or a real hash.

export const seedPassword = "console test passphrase";
/** A made-up word the seeded lexicon blocks. */
export const standInTerm = "vornaxle";
/** A made-up word the seeded lexicon sends to review. */
export const reviewTerm = "quillbry";
/** A random-looking PDQ hash in the seeded "csam" bank (not a hash of anything). */
export const standInCsamPdq = "a5".repeat(32);

export const seedUsers = [
  { username: "ada", role: "admin" },
  { username: "cleo", role: "child_safety_reviewer" },
  { username: "mo", role: "moderator" },
  { username: "vic", role: "viewer" },
] as const;

type Request = (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>;

async function ok(res: Promise<Response>, what: string): Promise<unknown> {
  const answer = await res;
  if (!answer.ok) throw new Error(`${what}: ${answer.status} ${await answer.text()}`);
  return answer.status === 204 ? null : answer.json();
}

/** The accounts the seed's events are about, with the case each should open. */
export const seededAccounts = {
  /** A profile whose bio holds the blocked stand-in: a held account with a highlighted span. */
  bioSeller: "acct-bio-seller",
  /** Posts with the blocked stand-in, one account each: ordinary cases to work through. */
  posters: ["acct-poster-1", "acct-poster-2", "acct-poster-3", "acct-poster-4"],
  /** A post whose media matches the synthetic "csam" bank: a restricted case. */
  hasher: "acct-hasher",
  /** Reported for child safety, with a reason. */
  reported: "acct-reported",
} as const;

/**
 * Seeds through the API as an admin key would: lexicon, bank, users, then one
 * batch of events. Resolves when the events are accepted (processing is the
 * server's; wait for the cases).
 */
export async function seedConsolePlatform(request: Request, options: { at?: string } = {}): Promise<void> {
  const at = options.at ?? "2026-03-01T12:00:00Z";
  await ok(
    request("/v1/lexicons/stand-ins", {
      method: "PUT",
      json: {
        entries: [
          { term: standInTerm, category: "coded-term", severity: "block", source: "synthetic" },
          { term: reviewTerm, category: "coded-term", severity: "review", source: "synthetic" },
        ],
      },
    }),
    "lexicon",
  );
  await ok(request("/v1/banks", { method: "POST", json: { name: "synthetic-csam", matchVerdict: "block" } }), "bank");
  await ok(request("/v1/banks/synthetic-csam/entries", { method: "POST", json: { entries: [{ signalType: "pdq", signal: standInCsamPdq, category: "csam" }] } }), "bank entries");
  for (const user of seedUsers) await ok(request("/v1/users", { method: "POST", json: { ...user, password: seedPassword } }), `user ${user.username}`);
  const { bioSeller, posters, hasher, reported } = seededAccounts;
  const events: unknown[] = [
    {
      id: "ev-bio-seller",
      type: "account.created",
      occurred_at: at,
      account: {
        id: bioSeller,
        handle: "menu.keeper",
        display_name: "Menu Keeper",
        bio: `New here. Fresh ${standInTerm} menu every week, ask me. Also ${reviewTerm} on request.`,
        age_band: { value: "18_plus", source: "declared" },
      },
    },
    ...posters.map((account, i) => ({
      id: `ev-post-${i + 1}`,
      type: "post.created",
      occurred_at: new Date(Date.parse(at) + (i + 1) * 60_000).toISOString(),
      post: { id: `post-${i + 1}`, author_id: account, text: `Post ${i + 1}: ${standInTerm} for sale, message me`, media: [{ kind: "hashes", id: `media-${i + 1}`, md5: String(i + 1).padStart(32, "0") }] },
    })),
    {
      id: "ev-hasher",
      type: "post.created",
      occurred_at: at,
      post: { id: "post-hashed", author_id: hasher, text: "holiday pictures", media: [{ kind: "hashes", id: "media-hashed", pdq: standInCsamPdq, quality: 100 }] },
    },
    { id: "ev-reported-profile", type: "account.created", occurred_at: at, account: { id: reported, handle: "quiet.one", display_name: "Quiet", bio: "Just here for the gardens.", age_band: { value: "18_plus", source: "estimated" } } },
    {
      id: "ev-report",
      type: "report.created",
      occurred_at: at,
      report: { id: "report-1", reporter_id: "acct-reporter", target: { type: "account", id: reported }, reason: "Keeps asking young users to move to a private chat", category: "child-safety" },
    },
  ];
  await ok(request("/v1/events", { method: "POST", json: { events } }), "events");
}

/**
 * A small follow network around the bio seller, with the seller named as a
 * seed, for the network view: the posters follow each other and the seller,
 * a buyer follows them all. Some accounts may gain network signals (and cases).
 */
export async function seedConsoleNetwork(request: Request, options: { at?: string } = {}): Promise<void> {
  const at = options.at ?? "2026-03-01T12:30:00Z";
  const { bioSeller, posters } = seededAccounts;
  const pairs: Array<[string, string]> = [];
  for (const p of posters) pairs.push([p, bioSeller], [bioSeller, p], ["acct-buyer", p]);
  for (let i = 1; i < posters.length; i++) pairs.push([posters[i - 1]!, posters[i]!]);
  pairs.push(["acct-buyer", bioSeller], ["acct-bystander", "acct-buyer"]);
  const events = pairs.map(([follower, followee], i) => ({ id: `ev-follow-${i}`, type: "follow", occurred_at: at, follower_id: follower, followee_id: followee }));
  await ok(request("/v1/events", { method: "POST", json: { events } }), "follows");
  await ok(request("/v1/network/seeds", { method: "POST", json: { accounts: [bioSeller], reason: "synthetic seed for the console tests" } }), "seed");
}
