import { Command } from "commander";
import { LapwingError } from "../../errors/index.js";
import type { AccountDetail } from "../../network/index.js";
import { accountKeyFrom, platformOption, printJson, wholeNumber, withServices } from "../context.js";
import { auditActor } from "../vocabulary.js";
import { describeAccount } from "../../events/tenancy.js";

/**
 * `lapwing network`: rank the accounts around the seeds, inspect one, list
 * clusters and targeted minors, and name or clear seeds. Every read brings
 * the graph up to date with what has been ingested first.
 */
export function networkCommand(): Command {
  const network = new Command("network").description("Network detection: accounts ranked around the seeds, clusters, targeted minors and seeds (docs/network.md)");

  network
    .command("rank")
    .description("Accounts ranked by network score, highest first, after bringing the graph up to date; suspected accounts become network-score signals for the policies")
    .option("--limit <n>", "most accounts to print (default: every account scored at least --min-score)")
    .option("--min-score <score>", "lowest score printed", "0.01")
    .option("--json", 'one JSON object per line: {"account", "score", "cluster", "explanation"}')
    .option("--no-signals", "only print: do not turn suspected accounts into policy signals")
    .action(async (o: { limit?: string; minScore: string; json?: boolean; signals: boolean }, command: Command) => {
      const limit = o.limit === undefined ? Number.MAX_SAFE_INTEGER : wholeNumber(o.limit, "--limit", { min: 1 });
      const minScore = score(o.minScore, "--min-score");
      await withServices(command, async (services) => {
        const snapshot = await services.network.refresh();
        const ranked = snapshot.ranked.filter((r) => r.score >= minScore).slice(0, limit);
        const { shownRanked } = await import("../../network/index.js");
        // `{"account", "score", "cluster", "explanation"}`, with "platformId" after "account" for another platform than the default.
        if (o.json) for (const r of ranked) printJson(shownRanked(r));
        else if (ranked.length === 0) process.stderr.write(snapshot.seeds === 0 ? "No seeds yet: confirm cases in a child-safety category, or name seeds with `lapwing network seed ACCOUNT --reason TEXT`.\n" : "No account scored that high.\n");
        else for (const r of ranked) process.stdout.write(`${r.score.toFixed(3)}  ${describeAccount(r.account)}${r.cluster === null ? "" : `  cluster ${r.cluster}`}\n    ${r.explanation.join("\n    ")}\n`);
        if (o.signals) {
          const { signals } = await services.network.emitSignals(snapshot);
          if (!o.json) process.stderr.write(`${signals} network signal(s) handed to the policies.\n`);
        }
      });
    });

  network
    .command("show")
    .description("One account: score, role, explanation, ban-evasion links and suspected neighbours")
    .argument("<account>", "the platform's account id")
    .option(...platformOption)
    .option("--json", "as one JSON object")
    .action(async (account: string, o: { json?: boolean; platform?: string }, command: Command) => {
      const key = accountKeyFrom(account, o.platform);
      await withServices(command, async (services) => {
        const { shownDetail } = await import("../../network/index.js");
        const found = (await services.network.refresh()).detail(key);
        if (!found) throw new LapwingError("NOT_FOUND", `Lapwing has no edge, profile or seed for account "${account}"${o.platform ? ` on platform "${o.platform}"` : ""}.`);
        const detail = shownDetail(found);
        if (o.json) printJson(detail);
        else process.stdout.write(readable(detail));
      });
    });

  network
    .command("clusters")
    .description("Clusters among the suspected accounts (Louvain), with their members")
    .option("--json", "one JSON object per cluster")
    .action(async (o: { json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const { shownCluster } = await import("../../network/index.js");
        const clusters = (await services.network.refresh()).clusters.map(shownCluster);
        if (o.json) return clusters.forEach((c) => printJson(c));
        if (clusters.length === 0) return void process.stderr.write("No clusters: no account is suspected yet.\n");
        for (const c of clusters) process.stdout.write(`cluster ${c.id}: ${c.size} account(s), ${c.seeds} seed(s)\n    ${c.members.slice(0, 20).map((m) => `${shownLabel(m)} (${m.score.toFixed(2)})`).join(", ")}${c.size > 20 ? ", …" : ""}\n`);
      });
    });

  network
    .command("targets")
    .description("Minors followed by several suspected accounts: to safeguard, never scored as members")
    .option("--json", "one JSON object per account")
    .action(async (o: { json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const { shownTarget } = await import("../../network/index.js");
        const targets = (await services.network.refresh()).targets.map(shownTarget);
        if (o.json) return targets.forEach((t) => printJson(t));
        if (targets.length === 0) return void process.stderr.write("No targeted minors.\n");
        for (const t of targets) process.stdout.write(`${shownLabel(t)}: followed by ${t.suspectedFollowers.length} suspected account(s): ${t.suspectedFollowers.slice(0, 10).join(", ")}\n`);
      });
    });

  const naming = [
    { name: "seed", description: "Name accounts as seeds (known members) for scoring; audited", reason: "why: shown in every explanation that cites the seed", said: "seed" },
    { name: "clear", description: "Mark accounts as cleared (negative evidence: their graph score is reduced); audited", reason: "why they were cleared", said: "cleared" },
  ] as const;
  for (const kind of naming) {
    network
      .command(kind.name)
      .description(kind.description)
      .argument("<accounts...>", "platform account ids")
      .option(...platformOption)
      .requiredOption("--reason <text>", kind.reason)
      .action(async (accounts: string[], o: { reason: string; platform?: string }, command: Command) => {
        const keys = accounts.map((account) => accountKeyFrom(account, o.platform));
        await withServices(command, async (services) => {
          const name = kind.name === "seed" ? services.network.seed : services.network.clear;
          for (const r of await name(keys, o.reason, auditActor.cli)) process.stdout.write(`${describeAccount(r.account)}: ${r.changed ? kind.said : `already ${kind.said} for that reason`}\n`);
        });
      });
  }

  network
    .command("unseed")
    .description("Forget what an operator said about accounts (seed or cleared); reviewers' decisions still count; audited")
    .argument("<accounts...>", "platform account ids")
    .option(...platformOption)
    .action(async (accounts: string[], o: { platform?: string }, command: Command) => {
      const keys = accounts.map((account) => accountKeyFrom(account, o.platform));
      await withServices(command, async (services) => {
        for (const r of await services.network.unseed(keys, auditActor.cli)) process.stdout.write(`${describeAccount(r.account)}: ${r.changed ? "unseeded" : "was not seeded by an operator"}\n`);
      });
    });

  network
    .command("seeds")
    .description("Seeds and cleared accounts named by operators")
    .option("--json", "one JSON object per account")
    .action(async (o: { json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const { shownSeed } = await import("../../network/index.js");
        const seeds = (await services.network.listSeeds()).map(shownSeed);
        if (o.json) return seeds.forEach((seed) => printJson(seed));
        if (seeds.length === 0) return void process.stderr.write("No seeds named by operators (reviewers' confirmations count too; see `lapwing network rank`).\n");
        for (const s of seeds) process.stdout.write(`${shownLabel(s)}  ${s.polarity}  ${s.createdAt}  ${s.actor}: ${s.reason}\n`);
      });
    });

  return network;
}

function score(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d*\.?\d+$/.test(text.trim()) || value > 1) throw new LapwingError("VALIDATION_FAILED", `${flag} takes a number from 0 to 1; got "${text}".`, { pointer: `/${flag.slice(2)}` });
  return value;
}

/** An account as shown (bare id and platform) in a line of text. */
function shownLabel(a: { account: string; platformId?: string }): string {
  return a.platformId === undefined ? a.account : `${a.account} (platform ${a.platformId})`;
}

function readable(d: AccountDetail & { platformId?: string }): string {
  const lines = [`${shownLabel(d)}: ${d.role}, score ${d.score.toFixed(3)} (graph ${d.graphScore.toFixed(3)}, content ${d.contentScore.toFixed(3)}, links ${d.linkScore.toFixed(3)})${d.cluster === null ? "" : `, cluster ${d.cluster}`}${d.isMinor ? ", minor" : ""}`];
  for (const e of d.explanation) lines.push(`  - ${e}`);
  for (const l of d.links) lines.push(`  link to ${shownLabel(l)} (${l.strength.toFixed(2)}): ${l.explanations.join("; ")}`);
  if (d.neighbourhood.follows.length > 0) lines.push(`  follows: ${d.neighbourhood.follows.map((f) => `${f.account}${f.mutual ? " (mutual)" : ""}`).join(", ")}`);
  if (d.neighbourhood.followedBy.length > 0) lines.push(`  followed by: ${d.neighbourhood.followedBy.map((f) => f.account).join(", ")}`);
  return lines.join("\n") + "\n";
}


