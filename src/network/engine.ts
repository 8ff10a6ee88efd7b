import { describeAccount, minorAgeBands, scopedKey, splitScopedKey } from "../events/index.js";
import { EvasionLinker } from "../linking/index.js";
import type { Signal } from "../policy/index.js";
import { addEvidence, childSafetyCategories, emptyEvidence, type ContentEvidence } from "./evidence.js";
import { GraphModel, isContentKey, type ModelSettings, type ScoreData, type ScoringWorld, type SeedInfo } from "./model.js";
import { foldProfileEvent, ProfileFacts, type ProfileState } from "./profile-facts.js";
import type { NetworkRepository } from "./repository.js";

/** What the service asks of a scoring run. */
export interface ScoreRequest {
  /** Score even when nothing changed since the last run. */
  force: boolean;
  /** The service's clock, ISO (time of the snapshot; "now" for reading ages from bios). */
  now: string;
  settings: ModelSettings;
}

/** What a scoring run answers: nothing new, or the new scores and the keys interned since the last answer. */
export type ScoreReply =
  | { kind: "unchanged"; readFeed: number }
  | {
      kind: "scored";
      /** Node number of the first key in `keys`. */
      keysFrom: number;
      /** Keys interned since the last answer, in node order, joined by newlines (ids are printable, so never contain one). */
      keys: string;
      data: ScoreData;
    };

const feedPage = 25_000;
const profilePage = 5_000;
const postsPerAccount = 5;

/**
 * The scoring side of network detection: keeps the graph model of the edge
 * feed, reads what is new, loads the rest of what scoring reads and scores,
 * when anything changed. Runs in a scoring thread (see scoring-thread.ts), or
 * in the serving thread when the database cannot be opened twice (an
 * in-memory SQLite).
 */
export function createScoringEngine(repo: NetworkRepository, halfLifeDays: number, options: { sendKeys: boolean }) {
  const model = new GraphModel(halfLifeDays);
  let fingerprint = "";
  let scoredEdges = -1;
  let keysSent = 0;

  async function run(request: ScoreRequest): Promise<ScoreReply> {
    let started = performance.now();
    // A large catch-up (the first scoring) sizes the tie fold once for what it will read, rather than growing it
    // by half again and again, the old and the new arrays held at once each time.
    if ((await repo.currentSeq()) - model.cursor > feedPage) model.ties.reserve(await repo.edgeCountAfter(model.cursor));
    for (;;) {
      const rows = await repo.edgesAfter(model.cursor, feedPage);
      model.appendRows(rows);
      if (rows.length < feedPage) break;
    }
    const readFeed = round3((performance.now() - started) / 1000);
    const now = await repo.evidenceFingerprint();
    if (!request.force && now === fingerprint && scoredEdges === model.ties.edges) return { kind: "unchanged", readFeed };
    started = performance.now();
    const clock = new Date(request.now);
    const world = await loadWorld(clock);
    const loadWorldSeconds = round3((performance.now() - started) / 1000);
    const data = await model.score(world, request.settings, clock);
    data.timings = { readFeed, loadWorld: loadWorldSeconds, ...data.timings };
    fingerprint = now;
    scoredEdges = model.ties.edges;
    const keysFrom = keysSent;
    const keys: string[] = [];
    if (options.sendKeys) for (let v = keysFrom; v < data.size; v++) keys.push(model.ids.key(v));
    keysSent = data.size;
    return { kind: "scored", keysFrom, keys: keys.join("\n"), data };
  }

  // Profiles are folded from every profile event, the costliest read after the feed: into compact facts per node,
  // kept while no such event changed (nor the year, which dates "class of 2031" in bios).
  let profileCache: { mark: string; facts: ProfileFacts; whole: Map<string, ProfileState> } | undefined;

  async function loadProfiles(year: number) {
    const mark = `${await repo.profileEventsMark()} ${year}`;
    if (profileCache?.mark === mark) return profileCache;
    profileCache = undefined;
    const facts = new ProfileFacts(year, (account) => model.intern(account));
    for (let after: { platform_id: string; id: string } | undefined; ; ) {
      const page = await repo.profileEvents(after, profilePage);
      for (const row of page) facts.fold(row);
      if (page.length < profilePage) break;
      after = page[page.length - 1]!;
    }
    profileCache = { mark, facts, whole: new Map() };
    return profileCache;
  }

  /** Whole profiles of the accounts linking compares, read again by account (and kept with the facts they agree with). */
  async function wholeProfiles(accounts: ReadonlySet<string>): Promise<ReadonlyMap<string, ProfileState>> {
    const { whole } = profileCache!;
    const missing = [...accounts].filter((account) => !whole.has(account));
    const ignored = new Map<string, { at: string; suspended: boolean }>();
    const read = new Map<string, ProfileState>();
    for (const row of await repo.profileEventsOf(missing)) foldProfileEvent(row, read, ignored);
    for (const account of missing) whole.set(account, read.get(account) ?? { id: account, handles: [], updatedAt: "" });
    return whole;
  }

  // What scoring reads besides the feed and profiles, kept while the table it comes from is unchanged.
  const caches = new Map<string, { mark: string; value: unknown }>();
  async function cached<T>(name: string, mark: string, load: () => Promise<T>): Promise<T> {
    const hit = caches.get(name);
    if (hit?.mark === mark) return hit.value as T;
    const value = await load();
    caches.set(name, { mark, value });
    return value;
  }
  let authorsChecked = { mark: "", nodes: 0 };

  async function loadWorld(clock: Date): Promise<ScoringWorld> {
    const year = clock.getUTCFullYear();
    const { facts, mark: profilesMark } = await loadProfiles(year);
    const actioned = new Map<string, string>();
    for (const [account, state] of facts.suspended) if (state.suspended) actioned.set(account, "the platform");
    const held = await repo.actionsInForce();
    const heldContent = new Set<string>();
    const safeguarded = new Set<string>();
    for (const action of held) {
      if (action.kind === "account.suspend") actioned.set(action.account_id, "Lapwing");
      else if (action.kind === "account.safeguard") safeguarded.add(action.account_id);
      // Content keys are on the platform of the account the action is about (src/events/tenancy.ts).
      else heldContent.add(scopedKey(splitScopedKey(action.account_id).platformId, `${action.target_type}:${action.target_id}`));
    }

    const minors = await cached("minors", `${profilesMark} ${await repo.accountsMark()}`, async () => {
      const found = new Set<string>();
      for (const row of await repo.ageBands()) if (row.age_band && minorAgeBands.has(row.age_band)) found.add(row.id);
      for (const v of facts.minorNodes()) found.add(model.ids.key(v));
      return found;
    });

    const seeds = new Map<string, SeedInfo>();
    // Cases about content whose author Lapwing never saw are filed under `post:<id>`: not an account to score.
    for (const row of (await repo.reviewedAccounts()).filter((r) => !isContentKey(r.account_id))) {
      if (row.outcome === "confirm" && row.outcome_category && childSafetyCategories.has(row.outcome_category)) seeds.set(row.account_id, { polarity: "seed", why: `confirmed by a reviewer (${row.outcome_category})` });
      else if (row.outcome === "dismiss") seeds.set(row.account_id, { polarity: "negative", why: "dismissed by a reviewer" });
    }
    // What an operator said last overrides what the reviews imply.
    for (const row of await repo.seeds()) seeds.set(row.account_id, { polarity: row.polarity === "negative" ? "negative" : "seed", why: `named by an operator: ${row.reason}` });

    const evidence = await cached("evidence", await repo.decisionsMark(), async () => {
      const found = new Map<string, ContentEvidence>();
      for (const row of await repo.decisionSignals()) {
        if (isContentKey(row.account_id) || /^(network|targeted|evasion):/.test(row.event_id)) continue;
        const signals = JSON.parse(row.signals) as Signal[];
        const e = found.get(row.account_id) ?? emptyEvidence();
        addEvidence(e, signals);
        if (e.strength > 0 || e.proof > 0 || e.childSafetyReports > 0) found.set(row.account_id, e);
      }
      return found;
    });

    // Authors are looked up again for all content still unresolved only when posts or comments were stored since;
    // otherwise only for content the feed named since the last look.
    const contentMark = await repo.contentEventsMark();
    const unresolved = model.contentKeys(contentMark === authorsChecked.mark ? authorsChecked.nodes : 0);
    authorsChecked = { mark: contentMark, nodes: model.ids.size };
    if (unresolved.length > 0) model.resolveAuthors(await repo.authorsOf(unresolved));

    // Posts are read for the accounts with any evidence: where a "backup of @x" is most likely to be said.
    const withPosts = new Set<string>([...seeds.keys(), ...actioned.keys(), ...evidence.keys()]);
    const posts = await repo.recentPosts([...withPosts], postsPerAccount);
    const linksAmong = async (accounts: ReadonlySet<string>) => {
      const profiles = await wholeProfiles(accounts);
      const linker = new EvasionLinker();
      for (const account of accounts) {
        const profile = profiles.get(account);
        if (profile && profile.updatedAt !== "") linker.upsert({ ...profile, texts: posts.get(account) ?? profile.texts });
      }
      return {
        linksOf: (account: string) => (linker.has(account) ? linker.pairsFor(account) : []),
        handleOf: (account: string) => {
          const handle = profiles.get(account)?.handles[0];
          // Sentences name another platform's account readably, not by its key (src/events/tenancy.ts).
          return handle ? `@${handle.replace(/^@/, "")}` : describeAccount(account);
        },
      };
    };
    return { accounts: facts.count, mentionsAnother: (node) => facts.mentionsAnother(node), minors, seeds, evidence, actioned, held: heldContent, safeguarded, linksAmong };
  }

  return { run, model };
}

export type ScoringEngine = ReturnType<typeof createScoringEngine>;

function round3(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
