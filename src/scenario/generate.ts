import type { z } from "zod";
import type { platformEvent } from "../events/index.js";
import { LapwingError } from "../errors/index.js";
import { Dice } from "../random/index.js";
import { adjacency, EdgeList, type Adjacency, type FollowEdges } from "./follow-graph.js";
import { flipBits, randomPdq } from "./hashes.js";
import { accountFlags, accountRoles, type AccountFlag, type AccountLabel, type AccountRole, type BackupPair, type KnownMediaPost, type ScenarioLabels } from "./labels.js";
import { suggestAccounts } from "./recommend.js";
import { defaultScenarioAccounts, maxScenarioAccounts, minScenarioAccounts, scenarioScale, type ScenarioOptions, type ScenarioScale } from "./scale.js";
import * as texts from "./texts.js";

/** One platform event as written to `events.jsonl` (docs/events.md). */
export type ScenarioEvent = z.input<typeof platformEvent>;

/** Where a scenario goes as it is generated; each call can write a line and forget it. */
export interface ScenarioSink {
  event(event: ScenarioEvent): void;
  /** One entry of the synthetic hash bank (category `csam`, random hashes). */
  bankEntry(entry: { readonly pdq: string; readonly note: string }): void;
  /** One viewer's "suggested for you" list, best first. */
  recommendations(viewer: string, candidates: readonly string[]): void;
}

/** Viewers of the recorded suggestions, by group (the recommender audit's groups). */
export interface ScenarioViewers {
  readonly teen: readonly string[];
  readonly fresh: readonly string[];
  readonly other: readonly string[];
}

/** What {@link generateScenario} returns besides what it wrote to the sink. */
export interface Scenario {
  readonly scale: ScenarioScale;
  readonly labels: ScenarioLabels;
  readonly viewers: ScenarioViewers;
  /** The follow graph as it stands at the end (unfollows applied), for baselines. */
  readonly graph: FollowEdges;
  readonly counts: { readonly events: number; readonly follows: number; readonly bankEntries: number };
}

const DAY = 86_400;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const WINDOW = 90 * DAY;
const role = Object.fromEntries(accountRoles.map((r, i) => [r, i])) as Record<AccountRole, number>;
const flag = Object.fromEntries(accountFlags.map((f, i) => [f, 1 << i])) as Record<AccountFlag, number>;

/**
 * Generates a synthetic platform with a planted seller network, streaming its
 * events, hash bank and recorded suggestions into `sink`, and returns the
 * labels. Same options, same output. What is modelled and why: docs/scenario.md.
 *
 * @example
 * ```ts
 * const events: ScenarioEvent[] = [];
 * const { labels } = generateScenario({ accounts: 3000, seed: 7 }, {
 *   event: (e) => events.push(e), bankEntry: () => {}, recommendations: () => {},
 * });
 * labels.network.seeds; // five confirmed sellers
 * ```
 */
export function generateScenario(options: ScenarioOptions, sink: ScenarioSink): Scenario {
  const accounts = options.accounts ?? defaultScenarioAccounts;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(accounts) || accounts < minScenarioAccounts || accounts > maxScenarioAccounts) {
    throw new LapwingError("VALIDATION_FAILED", `accounts is a whole number from ${minScenarioAccounts} to ${maxScenarioAccounts}; got ${accounts}.`, { pointer: "/accounts" });
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new LapwingError("VALIDATION_FAILED", `seed is a whole number from 0 to ${0xffffffff}; got ${seed}.`, { pointer: "/seed" });
  }
  return new ScenarioGenerator(accounts, seed, sink).run();
}

/** The scenario's clock: every time is whole seconds after the window's start. */
function windowStart(seed: number): number {
  // A fixed date derived from the seed, never "now", so two runs are identical.
  return Date.UTC(2026, 2, 1) / 1000 + (seed % 97) * DAY;
}

class ScenarioGenerator {
  readonly #d: Dice;
  readonly #n: number;
  readonly #scale: ScenarioScale;
  readonly #start: number;
  readonly #ids: string[];
  readonly #role: Uint8Array;
  readonly #flags: Uint16Array;
  readonly #community: Uint16Array;
  readonly #school: Int32Array;
  readonly #created: Uint32Array;
  readonly #handles: string[];
  readonly #stamp: Int32Array;
  readonly #edges = new EdgeList();
  #eventCount = 0;
  #followCount = 0;

  // Sets of accounts by role (account numbers).
  #byRole: Record<AccountRole, Uint32Array>;
  // Community sampling: members with cumulative popularity.
  #commOffsets!: Uint32Array;
  #commMembers!: Uint32Array;
  #commCumulative!: Float64Array;
  #communityCumulative!: Float64Array;
  #celebCumulative!: Float64Array;
  // Schools.
  #schoolOffsets!: Uint32Array;
  #schoolTeens!: Uint32Array;
  #schoolStaff: number[][] = [];
  // The network.
  #rings: number[][] = [];
  #ringOf = new Map<number, number>();
  #seeds: number[] = [];
  #targeted: number[] = [];
  #backups: { backup: number; original: number; kind: "network" | "benign"; afterBan: boolean }[] = [];
  #backupsOf = new Map<number, number[]>();
  #originalOf = new Map<number, number>();
  #suspendedAt = new Map<number, number>();
  #handleChange = new Map<number, { at: number; to: string }>();
  #cleanedAt = new Map<number, number>();
  #offPlatform = new Map<number, string>();
  #avatar = new Map<number, string>();
  #displayName = new Map<number, string>();
  #bank: string[] = [];
  #knownMedia: KnownMediaPost[] = [];
  // Posts, in author order: posts of account a are #postOffsets[a] .. #postOffsets[a + 1].
  #postOffsets!: Uint32Array;
  #postTime: number[] = [];
  #messagedBy = new Map<number, number[]>();

  constructor(
    accounts: number,
    readonly seed: number,
    readonly sink: ScenarioSink,
  ) {
    this.#n = accounts;
    this.#d = Dice.seeded(seed);
    this.#scale = scenarioScale(accounts);
    this.#start = windowStart(seed);
    this.#ids = Array.from({ length: accounts }, (_, i) => `u${i}`);
    this.#role = new Uint8Array(accounts);
    this.#flags = new Uint16Array(accounts);
    this.#community = new Uint16Array(accounts);
    this.#school = new Int32Array(accounts).fill(-1);
    this.#created = new Uint32Array(accounts);
    this.#handles = new Array<string>(accounts);
    this.#stamp = new Int32Array(accounts).fill(-1);
    this.#byRole = this.#assignRoles();
  }

  run(): Scenario {
    this.#planCommunities();
    this.#planSchools();
    this.#planNetwork();
    this.#planBenignTwins();
    this.#planProfiles();
    this.#writeBank();
    this.#writeAccounts();
    this.#writeFollows();
    const graph = this.#edges.edges(this.#ids);
    const following = adjacency(graph, true);
    const followers = adjacency(graph, false);
    this.#writeProfileUpdates();
    this.#writePosts();
    this.#writeEngagement(following);
    this.#writeReportsAndOutcomes(following);
    const viewers = this.#writeRecommendations(following, followers);
    return {
      scale: this.#scale,
      labels: this.#labels(),
      viewers,
      graph,
      counts: { events: this.#eventCount, follows: this.#followCount, bankEntries: this.#bank.length },
    };
  }

  // --- Plans: who is who --------------------------------------------------

  #assignRoles(): Record<AccountRole, Uint32Array> {
    const d = this.#d;
    const s = this.#scale;
    const order = new Uint32Array(this.#n);
    for (let i = 0; i < order.length; i++) order[i] = i;
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(d.next() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    const counts: [AccountRole, number][] = [
      ["seller", s.sellers], ["seller_backup", s.sellerBackups], ["celebrity", s.celebrities], ["teen", s.teens], ["staff", s.staff],
      ["benign_seller", s.benignSellers], ["benign_backup", s.benignBackups], ["reporter", s.reporters], ["buyer", s.buyers], ["fresh", s.fresh],
    ];
    const byRole = {} as Record<AccountRole, Uint32Array>;
    let next = 0;
    for (const [r, count] of counts) {
      byRole[r] = order.slice(next, next + count).sort();
      next += count;
    }
    byRole.regular = order.slice(next).sort();
    for (const r of accountRoles) for (const a of byRole[r]) this.#role[a] = role[r];
    return byRole;
  }

  #planCommunities(): void {
    const d = this.#d;
    const k = this.#scale.communities;
    // Community sizes follow a power law: a few big interests, many niche ones.
    this.#communityCumulative = cumulative(k, (c) => 1 / Math.pow(c + 1, 0.7));
    const inCommunity: number[] = [];
    const popularity = new Float64Array(this.#n);
    for (let a = 0; a < this.#n; a++) {
      this.#community[a] = pickCumulative(this.#communityCumulative, 0, k, d.next());
      const r = this.#role[a]!;
      // Heavy-tailed popularity (Pareto, alpha 1.5): within a community a few accounts gather most follows.
      popularity[a] = Math.pow(1 - d.next(), -1 / 1.5) * (r === role.benign_seller ? 4 : 1);
      if (r !== role.teen && r !== role.seller && r !== role.seller_backup && r !== role.celebrity) inCommunity.push(a);
    }
    const offsets = new Uint32Array(k + 1);
    for (const a of inCommunity) offsets[this.#community[a]! + 1]!++;
    for (let c = 0; c < k; c++) offsets[c + 1]! += offsets[c]!;
    const fill = offsets.slice(0, k);
    const members = new Uint32Array(inCommunity.length);
    for (const a of inCommunity) members[fill[this.#community[a]!]!++] = a;
    const cum = new Float64Array(members.length);
    for (let c = 0; c < k; c++) {
      let total = 0;
      for (let i = offsets[c]!; i < offsets[c + 1]!; i++) cum[i] = total += popularity[members[i]!]!;
    }
    this.#commOffsets = offsets;
    this.#commMembers = members;
    this.#commCumulative = cum;
    this.#celebCumulative = cumulative(this.#scale.celebrities, (i) => 1 / (i + 1));
    // Creation times: most accounts exist from the first third of the window.
    for (let a = 0; a < this.#n; a++) this.#created[a] = d.int(0, Math.floor(WINDOW * 0.35));
    for (const a of this.#byRole.fresh) this.#created[a] = d.int(WINDOW - 7 * DAY, WINDOW - 3600);
  }

  #planSchools(): void {
    const d = this.#d;
    const teens = this.#byRole.teen;
    const offsets: number[] = [0];
    while (offsets[offsets.length - 1]! < teens.length) offsets.push(Math.min(teens.length, offsets[offsets.length - 1]! + d.int(60, 300)));
    this.#schoolOffsets = Uint32Array.from(offsets);
    this.#schoolTeens = teens;
    const schools = offsets.length - 1;
    for (let s = 0; s < schools; s++) {
      for (let i = offsets[s]!; i < offsets[s + 1]!; i++) this.#school[teens[i]!] = s;
      this.#schoolStaff.push([]);
    }
    for (const a of this.#byRole.staff) {
      const s = d.int(0, schools - 1);
      this.#school[a] = s;
      this.#schoolStaff[s]!.push(a);
      if (d.chance(0.3)) this.#flags[a]! |= flag.coach;
    }
    for (const a of teens) this.#flags[a]! |= flag.minor;
  }

  #planNetwork(): void {
    const d = this.#d;
    const sellers = [...this.#byRole.seller];
    shuffle(sellers, d);
    // Rings of 5–14 sellers, arranged in a circle: rings trade with their neighbours.
    for (let i = 0; i < sellers.length; ) {
      const size = Math.min(sellers.length - i, d.int(5, 14));
      const ring = sellers.slice(i, i + size);
      if (ring.length < 5 && this.#rings.length > 0) this.#rings[this.#rings.length - 1]!.push(...ring);
      else this.#rings.push(ring);
      i += size;
    }
    this.#rings.forEach((ring, r) => ring.forEach((a) => this.#ringOf.set(a, r)));
    for (const a of sellers) {
      this.#flags[a]! |= flag.member;
      this.#created[a] = d.int(0, Math.floor(WINDOW * 0.4));
      this.#offPlatform.set(a, texts.makeHandle(this.#n + a, d, true));
      if (d.chance(0.25)) this.#flags[a]! |= flag.quiet;
      if (d.chance(0.25)) {
        this.#flags[a]! |= flag.suspended;
        this.#suspendedAt.set(a, d.int(Math.floor(WINDOW * 0.5), Math.floor(WINDOW * 0.85)));
      } else if (!(this.#flags[a]! & flag.quiet) && d.chance(0.3)) {
        this.#flags[a]! |= flag.bio_cleaned;
        this.#cleanedAt.set(a, d.int(Math.floor(WINDOW * 0.45), Math.floor(WINDOW * 0.9)));
      }
    }
    // Seeds: one seller from each of five rings spread around the circle, so detection must cross rings.
    const used = new Set<number>();
    for (let k = 0; k < 5; k++) {
      const ring = this.#rings[Math.floor((k * this.#rings.length) / 5)]!;
      const candidates = ring.filter((a) => !used.has(a));
      const pick = d.pick(candidates.length > 0 ? candidates : sellers.filter((a) => !used.has(a)));
      used.add(pick);
      this.#seeds.push(pick);
      this.#flags[pick]! |= flag.seed;
    }
    // Backups: suspended sellers first, then anyone.
    const originals = [...sellers.filter((a) => this.#suspendedAt.has(a)), ...sellers.filter((a) => !this.#suspendedAt.has(a))];
    this.#byRole.seller_backup.forEach((backup, i) => {
      const original = i < originals.length && d.chance(0.8) ? originals[i]! : d.pick(sellers);
      const bannedAt = this.#suspendedAt.get(original);
      const afterBan = bannedAt !== undefined && d.chance(0.65);
      this.#flags[backup]! |= flag.member;
      this.#created[backup] = afterBan
        ? Math.min(WINDOW - 3600, bannedAt + d.int(3600, 5 * DAY))
        : d.int(Math.min(this.#created[original]! + DAY, WINDOW - DAY), Math.floor(WINDOW * 0.85));
      this.#addBackup(backup, original, "network", afterBan);
    });
    // Some sellers change their handle mid-scenario; backups made earlier still name the old one.
    for (const a of sellers) {
      if (d.chance(0.15)) {
        this.#handleChange.set(a, { at: d.int(Math.floor(WINDOW * 0.25), Math.floor(WINDOW * 0.75)), to: texts.makeHandle(this.#n * 2 + a, d, d.chance(0.5)) });
        this.#flags[a]! |= flag.handle_changed;
      }
    }
    // Teens that the network targets: victims, never members.
    const teens = [...this.#byRole.teen];
    shuffle(teens, d);
    this.#targeted = teens.slice(0, this.#scale.targeted);
    for (const t of this.#targeted) this.#flags[t]! |= flag.targeted;
  }

  #planBenignTwins(): void {
    const d = this.#d;
    const shops = this.#byRole.benign_seller;
    this.#byRole.benign_backup.forEach((twin, i) => {
      const main = shops[i % shops.length]!;
      this.#created[twin] = d.int(Math.min(this.#created[main]! + DAY, WINDOW - DAY), WINDOW - 3600);
      this.#addBackup(twin, main, "benign", false);
    });
  }

  #addBackup(backup: number, original: number, kind: "network" | "benign", afterBan: boolean): void {
    this.#backups.push({ backup, original, kind, afterBan });
    this.#originalOf.set(backup, original);
    const list = this.#backupsOf.get(original) ?? [];
    list.push(backup);
    this.#backupsOf.set(original, list);
  }

  #planProfiles(): void {
    const d = this.#d;
    for (let a = 0; a < this.#n; a++) {
      const r = this.#role[a]!;
      const shoppy = r === role.benign_seller || r === role.benign_backup || ((r === role.seller || r === role.seller_backup) && d.chance(0.4));
      this.#handles[a] = texts.makeHandle(a, d, shoppy);
      if (this.#created[a]! >= WINDOW - 7 * DAY) this.#flags[a]! |= flag.fresh;
    }
    for (const r of ["seller", "benign_seller"] as const) {
      for (const a of this.#byRole[r]) {
        this.#avatar.set(a, randomPdq(d));
        this.#displayName.set(a, texts.displayName(d));
      }
    }
  }

  /** The handle `a` had at time `t`. */
  #handleAt(a: number, t: number): string {
    const change = this.#handleChange.get(a);
    return change !== undefined && t >= change.at ? change.to : this.#handles[a]!;
  }

  // --- Writing ------------------------------------------------------------

  /** ISO-8601 in whole seconds; the date part is cached per day (formatting dominated generation time). */
  #iso(t: number): string {
    const s = this.#start + t;
    const day = Math.floor(s / DAY);
    let date = this.#dates.get(day);
    if (date === undefined) {
      date = new Date(day * DAY * 1000).toISOString().slice(0, 11);
      this.#dates.set(day, date);
    }
    const r = s - day * DAY;
    return `${date}${TWO_DIGITS[Math.floor(r / 3600)]}:${TWO_DIGITS[Math.floor(r / 60) % 60]}:${TWO_DIGITS[r % 60]}Z`;
  }

  #dates = new Map<number, string>();

  #emit(t: number, event: Record<string, unknown>): void {
    this.sink.event({ id: `e${++this.#eventCount}`, type: event.type, occurred_at: this.#iso(t), ...event } as ScenarioEvent);
  }

  /** A time after both `a` and `b` exist. */
  #after(a: number, b: number): number {
    const lo = Math.max(this.#created[a]!, this.#created[b]!) + 60;
    return lo >= WINDOW ? WINDOW - 1 : this.#d.int(lo, WINDOW - 1);
  }

  #writeBank(): void {
    for (let i = 0; i < this.#scale.bankEntries; i++) {
      const pdq = randomPdq(this.#d);
      this.#bank.push(pdq);
      this.sink.bankEntry({ pdq, note: `synthetic scenario ${this.seed} entry ${i + 1} (random hash)` });
    }
  }

  #writeAccounts(): void {
    const d = this.#d;
    const pairOf = new Map(this.#backups.map((b) => [b.backup, b]));
    for (let a = 0; a < this.#n; a++) {
      const r = this.#role[a]!;
      const t = this.#created[a]!;
      const c = this.#community[a]!;
      let bio: string;
      let avatar = this.#avatar.get(a) ?? randomPdq(d);
      let name = this.#displayName.get(a) ?? texts.displayName(d);
      let ageBand: { value: string; source: string } | undefined;
      const pair = pairOf.get(a);
      if (pair !== undefined) {
        const original = pair.original;
        const originalHandle = this.#handleAt(original, t);
        if (pair.kind === "network") {
          const offPlatform = d.chance(0.6) ? this.#offPlatform.get(original)! : texts.makeHandle(this.#n * 3 + a, d, true);
          bio = texts.backupBio(originalHandle, pair.afterBan, offPlatform, d);
        } else {
          bio = texts.benignTwinBio(originalHandle, d);
        }
        // The same avatar (exact or nearly) and a near-duplicate display name: ban-evasion links, for twins and backups alike.
        const roll = d.next();
        avatar = roll < 0.45 ? this.#avatar.get(original)! : roll < 0.7 ? flipBits(this.#avatar.get(original)!, d.int(4, 8), d) : avatar;
        if (d.chance(0.6)) name = texts.nearDuplicateName(this.#displayName.get(original)!, d);
      } else if (r === role.seller) {
        bio = this.#flags[a]! & flag.quiet ? texts.quietBio(c, d) : texts.sellerBio(this.#offPlatform.get(a)!, d);
        if (d.chance(0.3)) ageBand = { value: "18_plus", source: "declared" };
      } else if (r === role.teen) {
        bio = texts.teenBio(this.#school[a]!, c, d);
        const roll = d.next();
        // Most teens declare an age band; some are only estimated, a few have none (the bio still says it).
        if (roll < 0.75) ageBand = { value: d.chance(0.5) ? "13_15" : "16_17", source: "declared" };
        else if (roll < 0.9) ageBand = { value: d.chance(0.2) ? "under_13" : "13_15", source: "estimated" };
      } else if (r === role.staff) {
        bio = texts.staffBio(this.#school[a]!, (this.#flags[a]! & flag.coach) !== 0, d);
        ageBand = { value: "18_plus", source: "declared" };
      } else if (r === role.celebrity) {
        bio = texts.celebrityBio(d);
      } else if (r === role.benign_seller) {
        bio = texts.benignSellerBio(this.#handles[a]!, d);
      } else if (r === role.reporter) {
        bio = texts.reporterBio(d);
      } else {
        bio = texts.regularBio(c, d);
        if (d.chance(0.2)) ageBand = { value: "18_plus", source: "declared" };
      }
      this.#emit(t, {
        type: "account.created",
        account: {
          id: this.#ids[a],
          handle: this.#handles[a],
          display_name: name,
          bio,
          avatar: { kind: "hashes", pdq: avatar, quality: d.int(70, 100) },
          ...(ageBand ? { age_band: ageBand } : {}),
        },
      });
    }
  }

  #follow(a: number, b: number): void {
    // The stamp remembers b's latest follower, which drops most repeats cheaply; the graph drops the rest.
    if (a === b || this.#stamp[b] === a) return;
    this.#stamp[b] = a;
    const t = this.#after(a, b);
    this.#emit(t, { type: "follow", follower_id: this.#ids[a], followee_id: this.#ids[b] });
    this.#followCount++;
    // A few ordinary follows are undone later: the follow stays in the history, not in the graph.
    const r = this.#role[a]!;
    if ((r === role.regular || r === role.teen) && this.#d.chance(0.015) && t < WINDOW - 120) {
      this.#emit(this.#d.int(t + 60, WINDOW - 1), { type: "unfollow", follower_id: this.#ids[a], followee_id: this.#ids[b] });
      return;
    }
    this.#edges.push(a, b);
  }

  #sampleCommunity(c: number): number {
    const lo = this.#commOffsets[c]!;
    const hi = this.#commOffsets[c + 1]!;
    if (hi === lo) return this.#commMembers[Math.floor(this.#d.next() * this.#commMembers.length)]!;
    return this.#commMembers[pickCumulative(this.#commCumulative, lo, hi, this.#d.next())]!;
  }

  #sampleCelebrity(): number {
    const celebs = this.#byRole.celebrity;
    return celebs[pickCumulative(this.#celebCumulative, 0, celebs.length, this.#d.next())]!;
  }

  #otherCommunity(): number {
    return pickCumulative(this.#communityCumulative, 0, this.#scale.communities, this.#d.next());
  }

  /** Ordinary interest follows: mostly the home community, some celebrities, some elsewhere. */
  #interestFollows(a: number, count: number): void {
    const d = this.#d;
    for (let i = 0; i < count; i++) {
      const roll = d.next();
      if (roll < 0.78) this.#follow(a, this.#sampleCommunity(this.#community[a]!));
      else if (roll < 0.9) this.#follow(a, this.#sampleCelebrity());
      else this.#follow(a, this.#sampleCommunity(this.#otherCommunity()));
    }
  }

  /** A heavy-tailed out-degree (Pareto, alpha 1.6, about 9 on average), capped. */
  #outDegree(scale: number): number {
    return Math.min(1500, Math.floor(scale * Math.pow(1 - this.#d.next(), -1 / 1.6)));
  }

  #members(): number[] {
    return [...this.#byRole.seller, ...this.#byRole.seller_backup];
  }

  #writeFollows(): void {
    const d = this.#d;
    const members = this.#members();
    const sellers = this.#byRole.seller;
    const rings = this.#rings;
    for (let a = 0; a < this.#n; a++) {
      const r = this.#role[a]!;
      switch (r) {
        case role.regular:
          this.#interestFollows(a, this.#outDegree(3.4));
          break;
        case role.celebrity:
          for (let i = d.int(3, 15); i > 0; i--) this.#follow(a, d.chance(0.5) ? this.#sampleCelebrity() : this.#sampleCommunity(this.#otherCommunity()));
          break;
        case role.teen: {
          // Dense school communities: many schoolmates, a coach or teacher, celebrities, an interest.
          const s = this.#school[a]!;
          const lo = this.#schoolOffsets[s]!;
          const size = this.#schoolOffsets[s + 1]! - lo;
          for (let i = d.int(10, 35); i > 0; i--) this.#follow(a, this.#schoolTeens[lo + Math.floor(d.next() * size)]!);
          const staff = this.#schoolStaff[s]!;
          if (staff.length > 0 && d.chance(0.35)) this.#follow(a, d.pick(staff));
          for (let i = d.int(2, 8); i > 0; i--) this.#follow(a, this.#sampleCelebrity());
          for (let i = d.int(1, 6); i > 0; i--) this.#follow(a, this.#sampleCommunity(this.#community[a]!));
          // A few curious teens follow a seller; targeted teens sometimes follow back (below).
          if (d.chance(0.005)) this.#follow(a, d.pick(sellers));
          break;
        }
        case role.staff: {
          // Teachers follow many of their school's teens; coaches, teens across several schools.
          const schools = this.#flags[a]! & flag.coach ? [this.#school[a]!, d.int(0, this.#schoolStaff.length - 1), d.int(0, this.#schoolStaff.length - 1)] : [this.#school[a]!];
          for (const s of schools) {
            const lo = this.#schoolOffsets[s]!;
            const size = this.#schoolOffsets[s + 1]! - lo;
            for (let i = d.int(Math.min(20, size), Math.min(150, size)); i > 0; i--) this.#follow(a, this.#schoolTeens[lo + Math.floor(d.next() * size)]!);
          }
          this.#interestFollows(a, d.int(5, 25));
          break;
        }
        case role.benign_seller:
        case role.benign_backup:
        case role.fresh:
          break; // below: twins copy their main; fresh accounts come last
        case role.reporter: {
          // Follows sellers in order to report them, across rings.
          for (let i = d.int(5, Math.min(30, members.length)); i > 0; i--) this.#follow(a, d.pick(members));
          this.#interestFollows(a, d.int(5, 25));
          break;
        }
        case role.buyer: {
          const first = d.pick(sellers);
          this.#follow(a, first);
          if (d.chance(0.3)) this.#follow(a, d.chance(0.6) ? d.pick(rings[this.#ringOf.get(first)!]!) : d.pick(sellers));
          const backups = this.#backupsOf.get(first);
          if (backups !== undefined && d.chance(0.5)) this.#follow(a, d.pick(backups));
          this.#interestFollows(a, this.#outDegree(2.5));
          break;
        }
        case role.seller: {
          const ringIndex = this.#ringOf.get(a)!;
          const ring = rings[ringIndex]!;
          for (const mate of ring) if (d.chance(0.6)) this.#follow(a, mate);
          // Neighbouring rings, and now and then a far one.
          for (let i = d.int(1, 4); i > 0; i--) {
            const other = rings[(ringIndex + d.pick([-3, -2, -1, 1, 2, 3]) + rings.length * 3) % rings.length]!;
            this.#follow(a, d.pick(other));
          }
          if (d.chance(0.5)) this.#follow(a, d.pick(sellers));
          for (let i = d.int(2, 6); i > 0; i--) this.#follow(a, d.pick(this.#targeted));
          for (let i = d.int(2, 6); i > 0; i--) this.#follow(a, this.#sampleCelebrity());
          for (let i = d.int(0, 2); i > 0; i--) this.#follow(a, d.pick(this.#byRole.benign_seller));
          // Camouflage: a few ordinary follows in some community.
          const c = this.#otherCommunity();
          for (let i = d.int(2, 8); i > 0; i--) this.#follow(a, this.#sampleCommunity(c));
          break;
        }
        case role.seller_backup:
          break; // below, once their originals' follows exist
      }
    }
    this.#writeBackupFollows();
    for (const a of this.#byRole.benign_seller) {
      this.#interestFollows(a, d.int(8, 30));
    }
    for (const pair of this.#backups) {
      if (pair.kind !== "benign") continue;
      const { backup, original } = pair;
      this.#follow(backup, original);
      this.#interestFollows(backup, d.int(3, 12));
      this.#follow(original, backup);
    }
    // Targeted teens: a few follow back a member who follows them.
    for (const t of this.#targeted) {
      if (d.chance(0.2)) this.#follow(t, d.pick(members));
    }
    for (const a of this.#byRole.fresh) {
      // Brand new: a handful of follows, mostly celebrities; some, curious, follow one seller (the audit's test accounts).
      for (let i = d.int(1, 6); i > 0; i--) this.#follow(a, d.chance(0.6) ? this.#sampleCelebrity() : this.#sampleCommunity(this.#community[a]!));
      if (d.chance(0.15)) this.#follow(a, d.pick(sellers));
    }
    // Non-members that follow a member: buyers, reporters, curious teens and fresh accounts.
    const edges = this.#edges.edges(this.#ids);
    for (let i = 0; i < edges.length; i++) {
      const from = edges.from[i]!;
      if (this.#flags[edges.to[i]!]! & flag.member && !(this.#flags[from]! & flag.member)) this.#flags[from]! |= flag.touched_seller;
    }
  }

  #writeBackupFollows(): void {
    const d = this.#d;
    for (const pair of this.#backups) {
      if (pair.kind !== "network") continue;
      const { backup, original } = pair;
      const ring = this.#rings[this.#ringOf.get(original)!]!;
      this.#follow(backup, original);
      for (const mate of ring) if (d.chance(0.45)) this.#follow(backup, mate);
      for (let i = d.int(1, 3); i > 0; i--) this.#follow(backup, d.pick(this.#targeted));
      for (let i = d.int(1, 3); i > 0; i--) this.#follow(backup, this.#sampleCelebrity());
      if (d.chance(0.6)) {
        this.#follow(original, backup);
      }
      for (const mate of ring) {
        if (mate !== original && d.chance(0.35)) {
          this.#follow(mate, backup);
        }
      }
    }
  }

  #writeProfileUpdates(): void {
    const d = this.#d;
    for (const [a, change] of this.#handleChange) {
      this.#emit(change.at, { type: "account.updated", account: { id: this.#ids[a], handle: change.to } });
    }
    for (const [a, at] of this.#cleanedAt) {
      this.#emit(at, { type: "account.updated", account: { id: this.#ids[a], bio: texts.cleanedBio(d) } });
    }
  }

  #writePosts(): void {
    const d = this.#d;
    const offsets = new Uint32Array(this.#n + 1);
    let post = 0;
    for (let a = 0; a < this.#n; a++) {
      offsets[a] = post;
      const r = this.#role[a]!;
      const quiet = (this.#flags[a]! & flag.quiet) !== 0;
      const count =
        r === role.seller ? (quiet ? d.int(1, 3) : d.int(2, 6))
        : r === role.seller_backup ? d.int(1, 3)
        : r === role.celebrity ? d.int(3, 6)
        : r === role.benign_seller ? d.int(2, 5)
        : r === role.fresh || r === role.reporter || r === role.buyer ? d.int(0, 1)
        : d.chance(0.5) ? d.int(1, 2) : 0;
      for (let i = 0; i < count; i++) {
        const id = `p${post++}`;
        const t = this.#d.int(this.#created[a]!, WINDOW - 1);
        this.#postTime.push(t);
        let content: { text: string; hashtags: string[] };
        let knownChance = 0;
        if (r === role.seller) {
          content = quiet ? texts.regularPost(this.#community[a]!, d) : texts.sellerPost(this.#offPlatform.get(a)!, d);
          knownChance = quiet ? 0.3 : 0.5;
        } else if (r === role.seller_backup) {
          const original = this.#originalOf.get(a)!;
          content = texts.sellerPost(this.#offPlatform.get(original)!, d);
          knownChance = 0.4;
        } else if (r === role.benign_seller || r === role.benign_backup) content = texts.benignShopPost(d);
        else if (r === role.teen) content = texts.teenPost(this.#community[a]!, d);
        else if (r === role.celebrity) content = texts.celebrityPost(d);
        else {
          content = texts.regularPost(this.#community[a]!, d);
          // A few buyers re-share what they bought: known media outside the network.
          if (r === role.buyer) knownChance = 0.05;
        }
        let media: { kind: "hashes"; id: string; pdq: string; quality: number } | undefined;
        if (knownChance > 0 && d.chance(knownChance)) {
          const entry = d.pick(this.#bank);
          const exact = d.chance(0.6);
          const distance = exact ? 0 : d.int(10, 20);
          media = { kind: "hashes", id: `m${id}`, pdq: exact ? entry : flipBits(entry, distance, d), quality: d.int(60, 100) };
          this.#knownMedia.push({ post: id, author: this.#ids[a]!, match: exact ? "exact" : "reencoded", distance });
          this.#flags[a]! |= flag.known_media;
        } else if (d.chance(0.4)) {
          media = { kind: "hashes", id: `m${id}`, pdq: randomPdq(d), quality: d.int(50, 100) };
        }
        this.#emit(t, {
          type: "post.created",
          post: { id, author_id: this.#ids[a], text: content.text, ...(content.hashtags.length ? { hashtags: content.hashtags } : {}), ...(media ? { media: [media] } : {}) },
        });
      }
    }
    offsets[this.#n] = post;
    this.#postOffsets = offsets;
  }

  /** A post of `a`, or -1 when it has none. */
  #postOf(a: number): number {
    const lo = this.#postOffsets[a]!;
    const hi = this.#postOffsets[a + 1]!;
    return hi === lo ? -1 : lo + Math.floor(this.#d.next() * (hi - lo));
  }

  #writeEngagement(following: Adjacency): void {
    const d = this.#d;
    let comment = 0;
    const followee = (a: number) => {
      const lo = following.offsets[a]!;
      const hi = following.offsets[a + 1]!;
      return hi === lo ? -1 : following.targets[lo + Math.floor(d.next() * (hi - lo))]!;
    };
    const like = (a: number, b: number) => {
      const p = this.#postOf(b);
      if (p >= 0) this.#emit(this.#after(a, b), { type: "interaction", kind: "like", actor_id: this.#ids[a], target_post_id: `p${p}` });
    };
    const message = (a: number, b: number, times: number) => {
      const conversation = `cv${Math.min(a, b)}-${Math.max(a, b)}`;
      for (let i = 0; i < times; i++) this.#emit(this.#after(a, b), { type: "interaction", kind: "message", actor_id: this.#ids[a], target_account_id: this.#ids[b], conversation_id: conversation });
    };
    const commentOn = (a: number, b: number, text: string) => {
      const p = this.#postOf(b);
      if (p < 0) return;
      const t = Math.max(this.#postTime[p]!, this.#created[a]!) + 60;
      this.#emit(Math.min(t, WINDOW - 1), { type: "comment.created", comment: { id: `c${comment++}`, post_id: `p${p}`, author_id: this.#ids[a], text } });
    };
    for (let a = 0; a < this.#n; a++) {
      const r = this.#role[a]!;
      if (d.chance(0.5)) {
        for (let i = d.int(1, 3); i > 0; i--) {
          const b = followee(a);
          if (b >= 0) like(a, b);
        }
      }
      if (d.chance(r === role.teen ? 0.3 : 0.2)) {
        const b = followee(a);
        if (b >= 0) commentOn(a, b, texts.friendlyComment(d));
      }
      if (r === role.teen && d.chance(0.2)) {
        const b = followee(a);
        if (b >= 0 && this.#role[b] === role.teen) message(a, b, d.int(1, 4));
      }
      if (r === role.staff && this.#flags[a]! & flag.coach && d.chance(0.5)) {
        // A coach messaging the team: legitimate contact with minors.
        for (let i = d.int(1, 5); i > 0; i--) {
          const b = followee(a);
          if (b >= 0 && this.#role[b] === role.teen) message(a, b, 1);
        }
      }
      if (r === role.buyer || (r === role.fresh && this.#flags[a]! & flag.touched_seller)) {
        // Buyers write to the sellers they follow and comment on their menus.
        for (let k = following.offsets[a]!; k < following.offsets[a + 1]!; k++) {
          const b = following.targets[k]!;
          if (!(this.#flags[b]! & flag.member)) continue;
          if (d.chance(0.7)) message(a, b, d.int(1, 3));
          if (d.chance(0.5)) commentOn(a, b, texts.buyerComment(d));
          if (d.chance(0.6)) like(a, b);
        }
      }
      if (this.#flags[a]! & flag.member) {
        for (let k = following.offsets[a]!; k < following.offsets[a + 1]!; k++) {
          const b = following.targets[k]!;
          if (this.#flags[b]! & flag.member) {
            // Rings promote each other.
            if (d.chance(0.25)) {
              const p = this.#postOf(b);
              if (p >= 0) this.#emit(this.#after(a, b), { type: "interaction", kind: "share", actor_id: this.#ids[a], target_post_id: `p${p}` });
            }
          } else if (this.#flags[b]! & flag.targeted && d.chance(0.5)) {
            message(a, b, d.int(1, 3));
            const list = this.#messagedBy.get(b) ?? [];
            list.push(a);
            this.#messagedBy.set(b, list);
          }
        }
      }
    }
  }

  #writeReportsAndOutcomes(following: Adjacency): void {
    const d = this.#d;
    let report = 0;
    const reportAccount = (reporter: number, target: number, t: number, category: string, reason: string) => {
      const p = d.chance(0.4) ? this.#postOf(target) : -1;
      const targetRef = p >= 0 ? { type: "post", id: `p${p}`, author_id: this.#ids[target] } : { type: "account", id: this.#ids[target] };
      this.#emit(t, { type: "report.created", report: { id: `r${report++}`, reporter_id: this.#ids[reporter], target: targetRef, reason, category } });
    };
    const reportTime = (reporter: number, target: number) => {
      const banned = this.#suspendedAt.get(target);
      const lo = Math.max(this.#created[reporter]!, this.#created[target]!) + 60;
      const hi = banned !== undefined ? Math.max(lo, banned - 60) : WINDOW - 1;
      return d.int(Math.min(lo, hi), hi);
    };
    for (const a of this.#byRole.reporter) {
      for (let k = following.offsets[a]!; k < following.offsets[a + 1]!; k++) {
        const b = following.targets[k]!;
        if (this.#flags[b]! & flag.member && d.chance(0.5)) reportAccount(a, b, reportTime(a, b), "child-safety", texts.childSafetyReportReason(d));
      }
    }
    // Every cleaned bio follows a report; every suspension follows reports.
    for (const [a, at] of this.#cleanedAt) reportAccount(d.pick(this.#byRole.reporter), a, Math.max(0, at - d.int(3600, 2 * DAY)), "child-safety", texts.childSafetyReportReason(d));
    for (const [a, at] of this.#suspendedAt) {
      for (let i = d.int(1, 3); i > 0; i--) reportAccount(d.pick(this.#byRole.reporter), a, Math.max(0, at - d.int(3600, 3 * DAY)), "child-safety", texts.childSafetyReportReason(d));
      this.#emit(at, { type: "moderation.outcome", outcome: { target: { type: "account", id: this.#ids[a] }, action: "suspended", reason: "Selling child sexual abuse material (confirmed)", moderator_id: "mod-1" } });
    }
    // Some targeted teens report who messaged them.
    for (const [teen, senders] of this.#messagedBy) {
      if (d.chance(0.2)) {
        const sender = d.pick(senders);
        reportAccount(teen, sender, this.#after(teen, sender), "child-safety", "Messaged my child");
      }
    }
    // Shops get spam reports, and now and then a mistaken child-safety one; some are warned.
    for (const a of this.#byRole.benign_seller) {
      for (let i = d.int(0, 2); i > 0; i--) {
        const reporter = this.#sampleCommunity(this.#community[a]!);
        if (reporter !== a) reportAccount(reporter, a, this.#after(reporter, a), "spam", texts.spamReportReason(d));
      }
      if (d.chance(0.05)) reportAccount(d.pick(this.#byRole.regular), a, this.#after(a, a), "child-safety", "weird prices and a telegram link?");
      if (d.chance(0.1)) this.#emit(this.#after(a, a), { type: "moderation.outcome", outcome: { target: { type: "account", id: this.#ids[a] }, action: "warned", reason: "Spam reports", moderator_id: "mod-2" } });
    }
  }

  #writeRecommendations(following: Adjacency, followers: Adjacency): ScenarioViewers {
    const d = this.#d;
    const teen: number[] = [...this.#byRole.teen];
    const fresh: number[] = [...this.#byRole.fresh];
    const other: number[] = [];
    const otherShare = Math.max(100, Math.round(this.#n * 0.02)) / this.#n;
    for (let a = 0; a < this.#n; a++) {
      const r = this.#role[a]!;
      if (r !== role.teen && r !== role.fresh && !(this.#flags[a]! & flag.member) && (r === role.buyer || d.chance(otherShare))) other.push(a);
    }
    const viewers = Uint32Array.from([...teen, ...fresh, ...other]);
    suggestAccounts(following, followers, viewers, d, {}, (viewer, candidates) =>
      this.sink.recommendations(this.#ids[viewer]!, candidates.map((c) => this.#ids[c]!)),
    );
    const named = (list: number[]) => list.map((a) => this.#ids[a]!);
    return { teen: named(teen), fresh: named(fresh), other: named(other) };
  }

  #labels(): ScenarioLabels {
    const ids = this.#ids;
    const accounts: Record<string, AccountLabel> = {};
    for (let a = 0; a < this.#n; a++) {
      const bits = this.#flags[a]!;
      accounts[ids[a]!] = { role: accountRoles[this.#role[a]!]!, flags: accountFlags.filter((f) => (bits & flag[f]) !== 0) };
    }
    const members = this.#members().sort((x, y) => x - y);
    const backups: BackupPair[] = this.#backups.map((b) => ({ backup: ids[b.backup]!, original: ids[b.original]!, kind: b.kind, afterBan: b.afterBan }));
    return {
      version: 1,
      seed: this.seed,
      accountCount: this.#n,
      startsAt: this.#iso(0),
      endsAt: this.#iso(WINDOW),
      network: {
        size: members.length,
        members: members.map((a) => ids[a]!),
        seeds: this.#seeds.map((a) => ids[a]!),
        rings: this.#rings.map((ring) => ring.map((a) => ids[a]!)),
      },
      backups,
      targetedMinors: this.#targeted.map((a) => ids[a]!),
      handleChanges: [...this.#handleChange].map(([a, c]) => ({ account: ids[a]!, from: this.#handles[a]!, to: c.to })),
      knownMedia: this.#knownMedia,
      accounts,
    };
  }
}

function cumulative(length: number, weight: (i: number) => number): Float64Array {
  const out = new Float64Array(length);
  let total = 0;
  for (let i = 0; i < length; i++) out[i] = total += weight(i);
  return out;
}

/** The index in [lo, hi) where a uniform `u` falls on the cumulative weights. */
function pickCumulative(cum: Float64Array, lo: number, hi: number, u: number): number {
  const base = lo === 0 ? 0 : cum[lo - 1]!;
  const target = base + u * (cum[hi - 1]! - base);
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (cum[mid]! <= target) a = mid + 1;
    else b = mid;
  }
  return a;
}

function shuffle<T>(items: T[], d: Dice): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(d.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
