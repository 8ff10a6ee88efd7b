import { accountRefOf, splitScopedKey } from "../events/index.js";
import type { AccountDetail, ClusterSummary, RankedAccount, TargetedAccount } from "./model.js";
import type { SeedResult } from "./service.js";

/**
 * The network's answers as the API and the command line show them. Inside,
 * accounts are scoped keys (src/events/tenancy.ts), so account 42 of two
 * platforms is two nodes; outside, an account is the platform's own id plus
 * `platformId` when it is not the default platform, which leaves the default
 * platform's answers exactly as they were (`{"account": "42", ...}`).
 *
 * Follows are between accounts of one platform (a follow event names both on
 * its own platform), so neighbours and a target's followers are shown by bare
 * id; links and cluster members may cross platforms and name theirs.
 */
export interface ShownAccount {
  account: string;
  platformId?: string;
}

function shown(key: string): ShownAccount {
  const { id, platformId } = accountRefOf(key);
  return platformId === undefined ? { account: id } : { account: id, platformId };
}

const bare = (key: string) => splitScopedKey(key).id;

export function shownRanked(r: RankedAccount): RankedAccount & ShownAccount {
  return { ...shown(r.account), score: r.score, cluster: r.cluster, explanation: r.explanation };
}

export function shownDetail(d: AccountDetail): AccountDetail & ShownAccount {
  return {
    ...d,
    ...shown(d.account),
    links: d.links.map((l) => ({ ...l, ...shown(l.account) })),
    neighbourhood: {
      follows: d.neighbourhood.follows.map((f) => ({ ...f, account: bare(f.account) })),
      followedBy: d.neighbourhood.followedBy.map((f) => ({ ...f, account: bare(f.account) })),
    },
  };
}

export function shownCluster(c: ClusterSummary): ClusterSummary {
  return { ...c, members: c.members.map((m) => ({ ...shown(m.account), score: m.score })) };
}

export function shownTarget(t: TargetedAccount): TargetedAccount & ShownAccount {
  return { ...shown(t.account), suspectedFollowers: t.suspectedFollowers.map(bare) };
}

export function shownSeedResult(r: SeedResult): SeedResult & ShownAccount {
  return { ...shown(r.account), changed: r.changed };
}

/** A seed as `listSeeds` gives it, with its account shown. */
export function shownSeed<T extends { account: string }>(s: T): T & ShownAccount {
  return { ...s, ...shown(s.account) };
}
