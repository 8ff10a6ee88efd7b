import { flipBits, randomPdq } from "./hashes.js";
import * as texts from "./texts.js";
import { flag, role, WINDOW, type ScenarioWorld } from "./world.js";

/* The hash bank, the accounts as created, their later updates, and posts (known media among them). */

export function writeBank(w: ScenarioWorld): void {
  for (let i = 0; i < w.scale.bankEntries; i++) {
    const pdq = randomPdq(w.d);
    w.bank.push(pdq);
    w.sink.bankEntry({ pdq, note: `synthetic scenario ${w.seed} entry ${i + 1} (random hash)` });
  }
}

export function writeAccounts(w: ScenarioWorld): void {
  const d = w.d;
  const pairOf = new Map(w.backups.map((b) => [b.backup, b]));
  for (let a = 0; a < w.n; a++) {
    const r = w.role[a]!;
    const t = w.created[a]!;
    const c = w.community[a]!;
    let bio: string;
    let avatar = w.avatar.get(a) ?? randomPdq(d);
    let name = w.displayName.get(a) ?? texts.displayName(d);
    let ageBand: { value: string; source: string } | undefined;
    const pair = pairOf.get(a);
    if (pair !== undefined) {
      const original = pair.original;
      const originalHandle = w.handleAt(original, t);
      if (pair.kind === "network") {
        const offPlatform = d.chance(0.6) ? w.offPlatform.get(original)! : texts.makeHandle(w.n * 3 + a, d, true);
        bio = texts.backupBio(originalHandle, pair.afterBan, offPlatform, d);
      } else {
        bio = texts.benignTwinBio(originalHandle, d);
      }
      // The same avatar (exact or nearly) and a near-duplicate display name: ban-evasion links, for twins and backups alike.
      const roll = d.next();
      avatar = roll < 0.45 ? w.avatar.get(original)! : roll < 0.7 ? flipBits(w.avatar.get(original)!, d.int(4, 8), d) : avatar;
      if (d.chance(0.6)) name = texts.nearDuplicateName(w.displayName.get(original)!, d);
    } else if (r === role.seller) {
      bio = w.flags[a]! & flag.quiet ? texts.quietBio(c, d) : texts.sellerBio(w.offPlatform.get(a)!, d);
      if (d.chance(0.3)) ageBand = { value: "18_plus", source: "declared" };
    } else if (r === role.teen) {
      bio = texts.teenBio(w.school[a]!, c, d);
      const roll = d.next();
      // Most teens declare an age band; some are only estimated, a few have none (the bio still says it).
      if (roll < 0.75) ageBand = { value: d.chance(0.5) ? "13_15" : "16_17", source: "declared" };
      else if (roll < 0.9) ageBand = { value: d.chance(0.2) ? "under_13" : "13_15", source: "estimated" };
    } else if (r === role.staff) {
      bio = texts.staffBio(w.school[a]!, (w.flags[a]! & flag.coach) !== 0, d);
      ageBand = { value: "18_plus", source: "declared" };
    } else if (r === role.celebrity) {
      bio = texts.celebrityBio(d);
    } else if (r === role.benign_seller) {
      bio = texts.benignSellerBio(w.handles[a]!, d);
    } else if (r === role.reporter) {
      bio = texts.reporterBio(d);
    } else {
      bio = texts.regularBio(c, d);
      if (d.chance(0.2)) ageBand = { value: "18_plus", source: "declared" };
    }
    w.emit(t, {
      type: "account.created",
      account: {
        id: w.ids[a],
        handle: w.handles[a],
        display_name: name,
        bio,
        avatar: { kind: "hashes", pdq: avatar, quality: d.int(70, 100) },
        ...(ageBand ? { age_band: ageBand } : {}),
      },
    });
  }
}

export function writeProfileUpdates(w: ScenarioWorld): void {
  const d = w.d;
  for (const [a, change] of w.handleChange) {
    w.emit(change.at, { type: "account.updated", account: { id: w.ids[a], handle: change.to } });
  }
  for (const [a, at] of w.cleanedAt) {
    w.emit(at, { type: "account.updated", account: { id: w.ids[a], bio: texts.cleanedBio(d) } });
  }
}

export function writePosts(w: ScenarioWorld): void {
  const d = w.d;
  const offsets = new Uint32Array(w.n + 1);
  let post = 0;
  for (let a = 0; a < w.n; a++) {
    offsets[a] = post;
    const r = w.role[a]!;
    const quiet = (w.flags[a]! & flag.quiet) !== 0;
    const count =
      r === role.seller ? (quiet ? d.int(1, 3) : d.int(2, 6))
      : r === role.seller_backup ? d.int(1, 3)
      : r === role.celebrity ? d.int(3, 6)
      : r === role.benign_seller ? d.int(2, 5)
      : r === role.fresh || r === role.reporter || r === role.buyer ? d.int(0, 1)
      : d.chance(0.5) ? d.int(1, 2) : 0;
    for (let i = 0; i < count; i++) {
      const id = `p${post++}`;
      const t = w.d.int(w.created[a]!, WINDOW - 1);
      w.postTime.push(t);
      let content: { text: string; hashtags: string[] };
      let knownChance = 0;
      if (r === role.seller) {
        content = quiet ? texts.regularPost(w.community[a]!, d) : texts.sellerPost(w.offPlatform.get(a)!, d);
        knownChance = quiet ? 0.3 : 0.5;
      } else if (r === role.seller_backup) {
        const original = w.originalOf.get(a)!;
        content = texts.sellerPost(w.offPlatform.get(original)!, d);
        knownChance = 0.4;
      } else if (r === role.benign_seller || r === role.benign_backup) content = texts.benignShopPost(d);
      else if (r === role.teen) content = texts.teenPost(w.community[a]!, d);
      else if (r === role.celebrity) content = texts.celebrityPost(d);
      else {
        content = texts.regularPost(w.community[a]!, d);
        // A few buyers re-share what they bought: known media outside the network.
        if (r === role.buyer) knownChance = 0.05;
      }
      let media: { kind: "hashes"; id: string; pdq: string; quality: number } | undefined;
      if (knownChance > 0 && d.chance(knownChance)) {
        const entry = d.pick(w.bank);
        const exact = d.chance(0.6);
        const distance = exact ? 0 : d.int(10, 20);
        media = { kind: "hashes", id: `m${id}`, pdq: exact ? entry : flipBits(entry, distance, d), quality: d.int(60, 100) };
        w.knownMedia.push({ post: id, author: w.ids[a]!, match: exact ? "exact" : "reencoded", distance });
        w.flags[a]! |= flag.known_media;
      } else if (d.chance(0.4)) {
        media = { kind: "hashes", id: `m${id}`, pdq: randomPdq(d), quality: d.int(50, 100) };
      }
      w.emit(t, {
        type: "post.created",
        post: { id, author_id: w.ids[a], text: content.text, ...(content.hashtags.length ? { hashtags: content.hashtags } : {}), ...(media ? { media: [media] } : {}) },
      });
    }
  }
  offsets[w.n] = post;
  w.postOffsets = offsets;
}
