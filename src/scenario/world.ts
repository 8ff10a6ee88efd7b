import { Dice, shuffleInPlace } from "../random/index.js";
import { EdgeBuffer } from "../graph/index.js";
import { accountFlags, accountRoles, type AccountFlag, type AccountRole, type KnownMediaPost } from "./labels.js";
import { scenarioScale, type ScenarioScale } from "./scale.js";
import type { ScenarioEvent, ScenarioSink } from "./generate.js";

/*
 * The state of a scenario while it is generated, shared by the phases
 * (plan.ts, follows.ts, content.ts, engagement.ts): per-account typed arrays,
 * the network's plan, and the helpers that sample accounts and emit events.
 * Every time is whole seconds after the window's start.
 */

export const DAY = 86_400;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
export const WINDOW = 90 * DAY;
export const role = Object.fromEntries(accountRoles.map((r, i) => [r, i])) as Record<AccountRole, number>;
export const flag = Object.fromEntries(accountFlags.map((f, i) => [f, 1 << i])) as Record<AccountFlag, number>;

/** The scenario's clock: every time is whole seconds after the window's start. */
export function windowStart(seed: number): number {
  // A fixed date derived from the seed, never "now", so two runs are identical.
  return Date.UTC(2026, 2, 1) / 1000 + (seed % 97) * DAY;
}

/** The scenario being generated; fields are shared by the phase functions, which run in a fixed order. */
export class ScenarioWorld {
  readonly d: Dice;
  readonly n: number;
  readonly scale: ScenarioScale;
  readonly start: number;
  readonly ids: string[];
  readonly role: Uint8Array;
  readonly flags: Uint16Array;
  readonly community: Uint16Array;
  readonly school: Int32Array;
  readonly created: Uint32Array;
  readonly handles: string[];
  /** The latest follower of each account, to drop repeated follows cheaply. */
  readonly stamp: Int32Array;
  readonly edges = new EdgeBuffer();
  eventCount = 0;
  followCount = 0;
  // Sets of accounts by role (account numbers).
  byRole: Record<AccountRole, Uint32Array>;
  // Community sampling: members with cumulative popularity.
  commOffsets!: Uint32Array;
  commMembers!: Uint32Array;
  commCumulative!: Float64Array;
  communityCumulative!: Float64Array;
  celebCumulative!: Float64Array;
  // Schools.
  schoolOffsets!: Uint32Array;
  schoolTeens!: Uint32Array;
  schoolStaff: number[][] = [];
  // The network.
  rings: number[][] = [];
  ringOf = new Map<number, number>();
  seeds: number[] = [];
  targeted: number[] = [];
  backups: { backup: number; original: number; kind: "network" | "benign"; afterBan: boolean }[] = [];
  backupsOf = new Map<number, number[]>();
  originalOf = new Map<number, number>();
  suspendedAt = new Map<number, number>();
  handleChange = new Map<number, { at: number; to: string }>();
  cleanedAt = new Map<number, number>();
  offPlatform = new Map<number, string>();
  avatar = new Map<number, string>();
  displayName = new Map<number, string>();
  bank: string[] = [];
  knownMedia: KnownMediaPost[] = [];
  // Posts, in author order: posts of account a are numbered postOffsets[a] .. postOffsets[a + 1] - 1.
  postOffsets!: Uint32Array;
  postTime: number[] = [];
  messagedBy = new Map<number, number[]>();

  constructor(
    accounts: number,
    readonly seed: number,
    readonly sink: ScenarioSink,
  ) {
    this.n = accounts;
    this.d = Dice.seeded(seed);
    this.scale = scenarioScale(accounts);
    this.start = windowStart(seed);
    this.ids = Array.from({ length: accounts }, (_, i) => `u${i}`);
    this.role = new Uint8Array(accounts);
    this.flags = new Uint16Array(accounts);
    this.community = new Uint16Array(accounts);
    this.school = new Int32Array(accounts).fill(-1);
    this.created = new Uint32Array(accounts);
    this.handles = new Array<string>(accounts);
    this.stamp = new Int32Array(accounts).fill(-1);
    this.byRole = this.#assignRoles();
  }

  /** Roles go to a random permutation of account numbers, so an id says nothing about its account. */
  #assignRoles(): Record<AccountRole, Uint32Array> {
    const d = this.d;
    const s = this.scale;
    const order = new Uint32Array(this.n);
    for (let i = 0; i < order.length; i++) order[i] = i;
    shuffleInPlace(order, d.next);
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
    for (const r of accountRoles) for (const a of byRole[r]) this.role[a] = role[r];
    return byRole;
  }

  addBackup(backup: number, original: number, kind: "network" | "benign", afterBan: boolean): void {
    this.backups.push({ backup, original, kind, afterBan });
    this.originalOf.set(backup, original);
    const list = this.backupsOf.get(original) ?? [];
    list.push(backup);
    this.backupsOf.set(original, list);
  }

  /** The handle `a` had at time `t`. */
  handleAt(a: number, t: number): string {
    const change = this.handleChange.get(a);
    return change !== undefined && t >= change.at ? change.to : this.handles[a]!;
  }

  readonly #dates = new Map<number, string>();

  /** ISO-8601 in whole seconds; the date part is cached per day (formatting dominated generation time). */
  iso(t: number): string {
    const s = this.start + t;
    const day = Math.floor(s / DAY);
    let date = this.#dates.get(day);
    if (date === undefined) {
      date = new Date(day * DAY * 1000).toISOString().slice(0, 11);
      this.#dates.set(day, date);
    }
    const r = s - day * DAY;
    return `${date}${TWO_DIGITS[Math.floor(r / 3600)]}:${TWO_DIGITS[Math.floor(r / 60) % 60]}:${TWO_DIGITS[r % 60]}Z`;
  }


  /** Writes one event at time `t`, numbering it. */
  emit(t: number, event: Record<string, unknown>): void {
    this.sink.event({ id: `e${++this.eventCount}`, type: event.type, occurred_at: this.iso(t), ...event } as ScenarioEvent);
  }

  /** A time after both `a` and `b` exist. */
  after(a: number, b: number): number {
    const lo = Math.max(this.created[a]!, this.created[b]!) + 60;
    return lo >= WINDOW ? WINDOW - 1 : this.d.int(lo, WINDOW - 1);
  }

  /** `a` follows `b` at a time after both exist; a few ordinary follows are undone later. */
  follow(a: number, b: number): void {
    // The stamp remembers b's latest follower, which drops most repeats cheaply; the graph drops the rest.
    if (a === b || this.stamp[b] === a) return;
    this.stamp[b] = a;
    const t = this.after(a, b);
    this.emit(t, { type: "follow", follower_id: this.ids[a], followee_id: this.ids[b] });
    this.followCount++;
    // A few ordinary follows are undone later: the follow stays in the history, not in the graph.
    const r = this.role[a]!;
    if ((r === role.regular || r === role.teen) && this.d.chance(0.015) && t < WINDOW - 120) {
      this.emit(this.d.int(t + 60, WINDOW - 1), { type: "unfollow", follower_id: this.ids[a], followee_id: this.ids[b] });
      return;
    }
    this.edges.add(a, b, 1);
  }

  /** An account of community `c`, the popular ones more often. */
  sampleCommunity(c: number): number {
    const lo = this.commOffsets[c]!;
    const hi = this.commOffsets[c + 1]!;
    if (hi === lo) return this.commMembers[Math.floor(this.d.next() * this.commMembers.length)]!;
    return this.commMembers[pickCumulative(this.commCumulative, lo, hi, this.d.next())]!;
  }

  /** A celebrity, by Zipf's law: the first is followed most. */
  sampleCelebrity(): number {
    const celebs = this.byRole.celebrity;
    return celebs[pickCumulative(this.celebCumulative, 0, celebs.length, this.d.next())]!;
  }

  /** A community drawn by size. */
  otherCommunity(): number {
    return pickCumulative(this.communityCumulative, 0, this.scale.communities, this.d.next());
  }

  /** Ordinary interest follows: mostly the home community, some celebrities, some elsewhere. */
  interestFollows(a: number, count: number): void {
    const d = this.d;
    for (let i = 0; i < count; i++) {
      const roll = d.next();
      if (roll < 0.78) this.follow(a, this.sampleCommunity(this.community[a]!));
      else if (roll < 0.9) this.follow(a, this.sampleCelebrity());
      else this.follow(a, this.sampleCommunity(this.otherCommunity()));
    }
  }

  /** A heavy-tailed number of follows (Pareto, alpha 1.6: about 2.7 × `scale` on average before repeats are dropped), capped. */
  outDegree(scale: number): number {
    return Math.min(1500, Math.floor(scale * Math.pow(1 - this.d.next(), -1 / 1.6)));
  }

  /** The network's members: sellers and their backups. */
  members(): number[] {
    return [...this.byRole.seller, ...this.byRole.seller_backup];
  }

  /** A post of `a`, or -1 when it has none. */
  postOf(a: number): number {
    const lo = this.postOffsets[a]!;
    const hi = this.postOffsets[a + 1]!;
    return hi === lo ? -1 : lo + Math.floor(this.d.next() * (hi - lo));
  }
}

export function cumulative(length: number, weight: (i: number) => number): Float64Array {
  const out = new Float64Array(length);
  let total = 0;
  for (let i = 0; i < length; i++) out[i] = total += weight(i);
  return out;
}

/** The index in [lo, hi) where a uniform `u` falls on the cumulative weights. */
export function pickCumulative(cum: Float64Array, lo: number, hi: number, u: number): number {
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

