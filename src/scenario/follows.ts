import { flag, role, type ScenarioWorld } from "./world.js";

/* The follow graph, one pass per kind of account: who follows whom, and why it fools a detector. */

export function writeFollows(w: ScenarioWorld): void {
  const d = w.d;
  const members = w.members();
  const sellers = w.byRole.seller;
  const rings = w.rings;
  for (let a = 0; a < w.n; a++) {
    const r = w.role[a]!;
    switch (r) {
      case role.regular:
        w.interestFollows(a, w.outDegree(5.6));
        break;
      case role.celebrity:
        for (let i = d.int(3, 15); i > 0; i--) w.follow(a, d.chance(0.5) ? w.sampleCelebrity() : w.sampleCommunity(w.otherCommunity()));
        break;
      case role.teen: {
        // Dense school communities: many schoolmates, a coach or teacher, celebrities, an interest.
        const s = w.school[a]!;
        const lo = w.schoolOffsets[s]!;
        const size = w.schoolOffsets[s + 1]! - lo;
        for (let i = d.int(12, 40); i > 0; i--) w.follow(a, w.schoolTeens[lo + Math.floor(d.next() * size)]!);
        const staff = w.schoolStaff[s]!;
        if (staff.length > 0 && d.chance(0.35)) w.follow(a, d.pick(staff));
        for (let i = d.int(2, 8); i > 0; i--) w.follow(a, w.sampleCelebrity());
        for (let i = d.int(1, 6); i > 0; i--) w.follow(a, w.sampleCommunity(w.community[a]!));
        // A few curious teens follow a seller; targeted teens sometimes follow back (below).
        if (d.chance(0.005)) w.follow(a, d.pick(sellers));
        break;
      }
      case role.staff: {
        // Teachers follow many of their school's teens; coaches, teens across several schools.
        const schools = w.flags[a]! & flag.coach ? [w.school[a]!, d.int(0, w.schoolStaff.length - 1), d.int(0, w.schoolStaff.length - 1)] : [w.school[a]!];
        for (const s of schools) {
          const lo = w.schoolOffsets[s]!;
          const size = w.schoolOffsets[s + 1]! - lo;
          for (let i = d.int(Math.min(20, size), Math.min(150, size)); i > 0; i--) w.follow(a, w.schoolTeens[lo + Math.floor(d.next() * size)]!);
        }
        w.interestFollows(a, d.int(5, 25));
        break;
      }
      case role.benign_seller:
      case role.benign_backup:
      case role.fresh:
        break; // below: twins copy their main; fresh accounts come last
      case role.reporter: {
        // Follows sellers in order to report them, across rings.
        for (let i = d.int(5, Math.min(30, members.length)); i > 0; i--) w.follow(a, d.pick(members));
        w.interestFollows(a, d.int(5, 25));
        break;
      }
      case role.buyer: {
        const first = d.pick(sellers);
        w.follow(a, first);
        if (d.chance(0.3)) w.follow(a, d.chance(0.6) ? d.pick(rings[w.ringOf.get(first)!]!) : d.pick(sellers));
        const backups = w.backupsOf.get(first);
        if (backups !== undefined && d.chance(0.5)) w.follow(a, d.pick(backups));
        w.interestFollows(a, w.outDegree(3.5));
        break;
      }
      case role.seller: {
        const ringIndex = w.ringOf.get(a)!;
        const ring = rings[ringIndex]!;
        for (const mate of ring) if (d.chance(0.6)) w.follow(a, mate);
        // Neighbouring rings, and now and then a far one.
        for (let i = d.int(1, 4); i > 0; i--) {
          const other = rings[(ringIndex + d.pick([-3, -2, -1, 1, 2, 3]) + rings.length * 3) % rings.length]!;
          w.follow(a, d.pick(other));
        }
        if (d.chance(0.5)) w.follow(a, d.pick(sellers));
        for (let i = d.int(2, 6); i > 0; i--) w.follow(a, d.pick(w.targeted));
        for (let i = d.int(2, 6); i > 0; i--) w.follow(a, w.sampleCelebrity());
        for (let i = d.int(0, 2); i > 0; i--) w.follow(a, d.pick(w.byRole.benign_seller));
        // Camouflage: a few ordinary follows in a community of its own (any community, not by size).
        const c = d.int(0, w.scale.communities - 1);
        for (let i = d.int(1, 5); i > 0; i--) w.follow(a, w.sampleCommunity(c));
        break;
      }
      case role.seller_backup:
        break; // below, once their originals' follows exist
    }
  }
  writeBackupFollows(w);
  for (const a of w.byRole.benign_seller) {
    w.interestFollows(a, d.int(8, 30));
  }
  for (const pair of w.backups) {
    if (pair.kind !== "benign") continue;
    const { backup, original } = pair;
    w.follow(backup, original);
    w.interestFollows(backup, d.int(3, 12));
    w.follow(original, backup);
  }
  // Targeted teens: a few follow back a member who follows them.
  for (const t of w.targeted) {
    if (d.chance(0.2)) w.follow(t, d.pick(members));
  }
  for (const a of w.byRole.fresh) {
    // Brand new: a handful of follows, mostly celebrities; some, curious, follow one seller (the audit's test accounts).
    for (let i = d.int(1, 6); i > 0; i--) w.follow(a, d.chance(0.6) ? w.sampleCelebrity() : w.sampleCommunity(w.community[a]!));
    if (d.chance(0.15)) w.follow(a, d.pick(sellers));
  }
  // Non-members that follow a member: buyers, reporters, curious teens and fresh accounts.
  const { sources, targets } = w.edges;
  for (let i = 0; i < sources.length; i++) {
    const from = sources[i]!;
    if (w.flags[targets[i]!]! & flag.member && !(w.flags[from]! & flag.member)) w.flags[from]! |= flag.touched_seller;
  }
}

function writeBackupFollows(w: ScenarioWorld): void {
  const d = w.d;
  for (const pair of w.backups) {
    if (pair.kind !== "network") continue;
    const { backup, original } = pair;
    const ring = w.rings[w.ringOf.get(original)!]!;
    w.follow(backup, original);
    for (const mate of ring) if (d.chance(0.45)) w.follow(backup, mate);
    for (let i = d.int(1, 3); i > 0; i--) w.follow(backup, d.pick(w.targeted));
    for (let i = d.int(1, 3); i > 0; i--) w.follow(backup, w.sampleCelebrity());
    if (d.chance(0.6)) {
      w.follow(original, backup);
    }
    for (const mate of ring) {
      if (mate !== original && d.chance(0.35)) {
        w.follow(mate, backup);
      }
    }
  }
}
