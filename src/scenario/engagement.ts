import type { Csr } from "../graph/index.js";
import * as texts from "./texts.js";
import { DAY, flag, role, WINDOW, type ScenarioWorld } from "./world.js";

/* Likes, comments, messages and shares over the follow graph, then reports and the platform's moderation outcomes. */

export function writeEngagement(w: ScenarioWorld, following: Csr): void {
  const d = w.d;
  let comment = 0;
  const followee = (a: number) => {
    const lo = following.offsets[a]!;
    const hi = following.offsets[a + 1]!;
    return hi === lo ? -1 : following.targets[lo + Math.floor(d.next() * (hi - lo))]!;
  };
  const like = (a: number, b: number) => {
    const p = w.postOf(b);
    if (p >= 0) w.emit(w.after(a, b), { type: "interaction", kind: "like", actor_id: w.ids[a], target_post_id: `p${p}` });
  };
  const message = (a: number, b: number, times: number) => {
    const conversation = `cv${Math.min(a, b)}-${Math.max(a, b)}`;
    for (let i = 0; i < times; i++) w.emit(w.after(a, b), { type: "interaction", kind: "message", actor_id: w.ids[a], target_account_id: w.ids[b], conversation_id: conversation });
  };
  const commentOn = (a: number, b: number, text: string) => {
    const p = w.postOf(b);
    if (p < 0) return;
    const t = Math.max(w.postTime[p]!, w.created[a]!) + 60;
    w.emit(Math.min(t, WINDOW - 1), { type: "comment.created", comment: { id: `c${comment++}`, post_id: `p${p}`, author_id: w.ids[a], text } });
  };
  for (let a = 0; a < w.n; a++) {
    const r = w.role[a]!;
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
      if (b >= 0 && w.role[b] === role.teen) message(a, b, d.int(1, 4));
    }
    if (r === role.staff && w.flags[a]! & flag.coach && d.chance(0.5)) {
      // A coach messaging the team: legitimate contact with minors.
      for (let i = d.int(1, 5); i > 0; i--) {
        const b = followee(a);
        if (b >= 0 && w.role[b] === role.teen) message(a, b, 1);
      }
    }
    if (r === role.buyer || (r === role.fresh && w.flags[a]! & flag.touched_seller)) {
      // Buyers write to the sellers they follow and comment on their menus.
      for (let k = following.offsets[a]!; k < following.offsets[a + 1]!; k++) {
        const b = following.targets[k]!;
        if (!(w.flags[b]! & flag.member)) continue;
        if (d.chance(0.7)) message(a, b, d.int(1, 3));
        if (d.chance(0.5)) commentOn(a, b, texts.buyerComment(d));
        if (d.chance(0.6)) like(a, b);
      }
    }
    if (w.flags[a]! & flag.member) {
      for (let k = following.offsets[a]!; k < following.offsets[a + 1]!; k++) {
        const b = following.targets[k]!;
        if (w.flags[b]! & flag.member) {
          // Rings promote each other.
          if (d.chance(0.25)) {
            const p = w.postOf(b);
            if (p >= 0) w.emit(w.after(a, b), { type: "interaction", kind: "share", actor_id: w.ids[a], target_post_id: `p${p}` });
          }
        } else if (w.flags[b]! & flag.targeted && d.chance(0.5)) {
          message(a, b, d.int(1, 3));
          const list = w.messagedBy.get(b) ?? [];
          list.push(a);
          w.messagedBy.set(b, list);
        }
      }
    }
  }
}

export function writeReportsAndOutcomes(w: ScenarioWorld, following: Csr): void {
  const d = w.d;
  let report = 0;
  const reportAccount = (reporter: number, target: number, t: number, category: string, reason: string) => {
    const p = d.chance(0.4) ? w.postOf(target) : -1;
    const targetRef = p >= 0 ? { type: "post", id: `p${p}`, author_id: w.ids[target] } : { type: "account", id: w.ids[target] };
    w.emit(t, { type: "report.created", report: { id: `r${report++}`, reporter_id: w.ids[reporter], target: targetRef, reason, category } });
  };
  const reportTime = (reporter: number, target: number) => {
    const banned = w.suspendedAt.get(target);
    const lo = Math.max(w.created[reporter]!, w.created[target]!) + 60;
    const hi = banned !== undefined ? Math.max(lo, banned - 60) : WINDOW - 1;
    return d.int(Math.min(lo, hi), hi);
  };
  for (const a of w.byRole.reporter) {
    for (let k = following.offsets[a]!; k < following.offsets[a + 1]!; k++) {
      const b = following.targets[k]!;
      if (w.flags[b]! & flag.member && d.chance(0.5)) reportAccount(a, b, reportTime(a, b), "child-safety", texts.childSafetyReportReason(d));
    }
  }
  // Every cleaned bio follows a report; every suspension follows reports.
  for (const [a, at] of w.cleanedAt) reportAccount(d.pick(w.byRole.reporter), a, Math.max(0, at - d.int(3600, 2 * DAY)), "child-safety", texts.childSafetyReportReason(d));
  for (const [a, at] of w.suspendedAt) {
    for (let i = d.int(1, 3); i > 0; i--) reportAccount(d.pick(w.byRole.reporter), a, Math.max(0, at - d.int(3600, 3 * DAY)), "child-safety", texts.childSafetyReportReason(d));
    w.emit(at, { type: "moderation.outcome", outcome: { target: { type: "account", id: w.ids[a] }, action: "suspended", reason: "Selling child sexual abuse material (confirmed)", moderator_id: "mod-1" } });
  }
  // Some targeted teens report who messaged them.
  for (const [teen, senders] of w.messagedBy) {
    if (d.chance(0.2)) {
      const sender = d.pick(senders);
      reportAccount(teen, sender, w.after(teen, sender), "child-safety", "Messaged my child");
    }
  }
  // Shops get spam reports, and now and then a mistaken child-safety one; some are warned.
  for (const a of w.byRole.benign_seller) {
    for (let i = d.int(0, 2); i > 0; i--) {
      const reporter = w.sampleCommunity(w.community[a]!);
      if (reporter !== a) reportAccount(reporter, a, w.after(reporter, a), "spam", texts.spamReportReason(d));
    }
    if (d.chance(0.05)) reportAccount(d.pick(w.byRole.regular), a, w.after(a, a), "child-safety", "weird prices and a telegram link?");
    if (d.chance(0.1)) w.emit(w.after(a, a), { type: "moderation.outcome", outcome: { target: { type: "account", id: w.ids[a] }, action: "warned", reason: "Spam reports", moderator_id: "mod-2" } });
  }
}
