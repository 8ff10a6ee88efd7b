import { shuffleInPlace } from "../random/index.js";
import { randomPdq } from "./hashes.js";
import * as texts from "./texts.js";
import { cumulative, DAY, flag, pickCumulative, role, WINDOW, type ScenarioWorld } from "./world.js";

/* Planning, before anything is written: communities, schools, the network (rings, seeds, backups, churn), twins and profiles. */

export function planCommunities(w: ScenarioWorld): void {
  const d = w.d;
  const k = w.scale.communities;
  // Community sizes follow a power law: a few big interests, many niche ones.
  w.communityCumulative = cumulative(k, (c) => 1 / Math.pow(c + 1, 0.7));
  const inCommunity: number[] = [];
  const popularity = new Float64Array(w.n);
  for (let a = 0; a < w.n; a++) {
    w.community[a] = pickCumulative(w.communityCumulative, 0, k, d.next());
    const r = w.role[a]!;
    // Heavy-tailed popularity (Pareto, alpha 1.5): within a community a few accounts gather most follows.
    popularity[a] = Math.pow(1 - d.next(), -1 / 1.5) * (r === role.benign_seller ? 4 : 1);
    if (r !== role.teen && r !== role.seller && r !== role.seller_backup && r !== role.celebrity) inCommunity.push(a);
  }
  const offsets = new Uint32Array(k + 1);
  for (const a of inCommunity) offsets[w.community[a]! + 1]!++;
  for (let c = 0; c < k; c++) offsets[c + 1]! += offsets[c]!;
  const fill = offsets.slice(0, k);
  const members = new Uint32Array(inCommunity.length);
  for (const a of inCommunity) members[fill[w.community[a]!]!++] = a;
  const cum = new Float64Array(members.length);
  for (let c = 0; c < k; c++) {
    let total = 0;
    for (let i = offsets[c]!; i < offsets[c + 1]!; i++) cum[i] = total += popularity[members[i]!]!;
  }
  w.commOffsets = offsets;
  w.commMembers = members;
  w.commCumulative = cum;
  w.celebCumulative = cumulative(w.scale.celebrities, (i) => 1 / (i + 1));
  // Creation times: most accounts exist from the first third of the window.
  for (let a = 0; a < w.n; a++) w.created[a] = d.int(0, Math.floor(WINDOW * 0.35));
  for (const a of w.byRole.fresh) w.created[a] = d.int(WINDOW - 7 * DAY, WINDOW - 3600);
}

export function planSchools(w: ScenarioWorld): void {
  const d = w.d;
  const teens = w.byRole.teen;
  const offsets: number[] = [0];
  while (offsets[offsets.length - 1]! < teens.length) offsets.push(Math.min(teens.length, offsets[offsets.length - 1]! + d.int(60, 300)));
  w.schoolOffsets = Uint32Array.from(offsets);
  w.schoolTeens = teens;
  const schools = offsets.length - 1;
  for (let s = 0; s < schools; s++) {
    for (let i = offsets[s]!; i < offsets[s + 1]!; i++) w.school[teens[i]!] = s;
    w.schoolStaff.push([]);
  }
  for (const a of w.byRole.staff) {
    const s = d.int(0, schools - 1);
    w.school[a] = s;
    w.schoolStaff[s]!.push(a);
    if (d.chance(0.3)) w.flags[a]! |= flag.coach;
  }
  for (const a of teens) w.flags[a]! |= flag.minor;
}

export function planNetwork(w: ScenarioWorld): void {
  const d = w.d;
  const sellers = [...w.byRole.seller];
  shuffleInPlace(sellers, d.next);
  // Rings of 5–14 sellers, arranged in a circle: rings trade with their neighbours.
  for (let i = 0; i < sellers.length; ) {
    const size = Math.min(sellers.length - i, d.int(5, 14));
    const ring = sellers.slice(i, i + size);
    if (ring.length < 5 && w.rings.length > 0) w.rings[w.rings.length - 1]!.push(...ring);
    else w.rings.push(ring);
    i += size;
  }
  w.rings.forEach((ring, r) => ring.forEach((a) => w.ringOf.set(a, r)));
  for (const a of sellers) {
    w.flags[a]! |= flag.member;
    w.created[a] = d.int(0, Math.floor(WINDOW * 0.4));
    w.offPlatform.set(a, texts.makeHandle(w.n + a, d, true));
    if (d.chance(0.25)) w.flags[a]! |= flag.quiet;
    if (d.chance(0.25)) {
      w.flags[a]! |= flag.suspended;
      w.suspendedAt.set(a, d.int(Math.floor(WINDOW * 0.5), Math.floor(WINDOW * 0.85)));
    } else if (!(w.flags[a]! & flag.quiet) && d.chance(0.3)) {
      w.flags[a]! |= flag.bio_cleaned;
      w.cleanedAt.set(a, d.int(Math.floor(WINDOW * 0.45), Math.floor(WINDOW * 0.9)));
    }
  }
  // Seeds: one seller from each of five rings spread around the circle, so detection must cross rings.
  const used = new Set<number>();
  for (let k = 0; k < 5; k++) {
    const ring = w.rings[Math.floor((k * w.rings.length) / 5)]!;
    const candidates = ring.filter((a) => !used.has(a));
    const pick = d.pick(candidates.length > 0 ? candidates : sellers.filter((a) => !used.has(a)));
    used.add(pick);
    w.seeds.push(pick);
    w.flags[pick]! |= flag.seed;
  }
  // Backups: suspended sellers first, then anyone.
  const originals = [...sellers.filter((a) => w.suspendedAt.has(a)), ...sellers.filter((a) => !w.suspendedAt.has(a))];
  w.byRole.seller_backup.forEach((backup, i) => {
    const original = i < originals.length && d.chance(0.8) ? originals[i]! : d.pick(sellers);
    const bannedAt = w.suspendedAt.get(original);
    const afterBan = bannedAt !== undefined && d.chance(0.65);
    w.flags[backup]! |= flag.member;
    w.created[backup] = afterBan
      ? Math.min(WINDOW - 3600, bannedAt + d.int(3600, 5 * DAY))
      : d.int(Math.min(w.created[original]! + DAY, WINDOW - DAY), Math.floor(WINDOW * 0.85));
    w.addBackup(backup, original, "network", afterBan);
  });
  // Some sellers change their handle mid-scenario; backups made earlier still name the old one.
  for (const a of sellers) {
    if (d.chance(0.15)) {
      w.handleChange.set(a, { at: d.int(Math.floor(WINDOW * 0.25), Math.floor(WINDOW * 0.75)), to: texts.makeHandle(w.n * 2 + a, d, d.chance(0.5)) });
      w.flags[a]! |= flag.handle_changed;
    }
  }
  // Teens that the network targets: victims, never members.
  const teens = [...w.byRole.teen];
  shuffleInPlace(teens, d.next);
  w.targeted = teens.slice(0, w.scale.targeted);
  for (const t of w.targeted) w.flags[t]! |= flag.targeted;
}

export function planBenignTwins(w: ScenarioWorld): void {
  const d = w.d;
  const shops = w.byRole.benign_seller;
  w.byRole.benign_backup.forEach((twin, i) => {
    const main = shops[i % shops.length]!;
    w.created[twin] = d.int(Math.min(w.created[main]! + DAY, WINDOW - DAY), WINDOW - 3600);
    w.addBackup(twin, main, "benign", false);
  });
}

export function planProfiles(w: ScenarioWorld): void {
  const d = w.d;
  for (let a = 0; a < w.n; a++) {
    const r = w.role[a]!;
    const shoppy = r === role.benign_seller || r === role.benign_backup || ((r === role.seller || r === role.seller_backup) && d.chance(0.4));
    w.handles[a] = texts.makeHandle(a, d, shoppy);
    if (w.created[a]! >= WINDOW - 7 * DAY) w.flags[a]! |= flag.fresh;
  }
  for (const r of ["seller", "benign_seller"] as const) {
    for (const a of w.byRole[r]) {
      w.avatar.set(a, randomPdq(d));
      w.displayName.set(a, texts.displayName(d));
    }
  }
}
