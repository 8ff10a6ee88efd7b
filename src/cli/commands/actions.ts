import { Command } from "commander";
import { accountKeyFrom, platformOption, printJson, wholeNumber, withServices } from "../context.js";
import { auditActor } from "../vocabulary.js";

export function actionsCommand(): Command {
  const actions = new Command("actions").description("What Lapwing asked the platform to do: the action feed and webhook replays (docs/actions.md)");

  actions
    .command("list")
    .description("Actions after a feed position, oldest first")
    .option("--after <seq>", "the last seq already seen", "0")
    .option("--account <id>", "only this account's actions")
    .option(...platformOption)
    .option("--limit <n>", "most actions to show (1 to 1000)", "100")
    .option("--json", "one JSON object per action")
    .action(async (o: { after: string; account?: string; platform?: string; limit: string; json?: boolean }, command: Command) => {
      const accountId = o.account === undefined ? undefined : accountKeyFrom(o.account, o.platform);
      const after = wholeNumber(o.after, "--after");
      const limit = wholeNumber(o.limit, "--limit", { min: 1, max: 1000 });
      await withServices(command, async (services) => {
        // The command line is the operator's, with the database in hand: it shows every action in full.
        const page = await services.actions.list({ after, limit, accountId }, { canSeeRestricted: true });
        if (o.json) return page.actions.forEach(printJson);
        for (const a of page.actions) {
          const delivered = a.deliveredAt ? "delivered" : "not delivered";
          process.stdout.write(`${String(a.seq).padStart(8)}  ${a.kind.padEnd(17)} ${a.target.type}:${a.target.id}  account ${a.accountId}${a.platformId === undefined ? "" : ` (platform ${a.platformId})`}  ${a.reverses ? `reverses ${a.reverses}  ` : ""}${delivered}\n`);
        }
        process.stderr.write(`Next: --after ${page.next}\n`);
      });
    });

  actions
    .command("replay")
    .description("Deliver actions again as webhooks (same ids, so the platform applies each once)")
    .argument("<ids...>", "action ids")
    .action(async (ids: string[], _o: unknown, command: Command) => {
      await withServices(command, async (services) => {
        const { queued } = await services.actions.replay(ids, auditActor.cli);
        process.stdout.write(`Queued ${queued} delivery(ies); a \`lapwing serve\` or \`lapwing worker\` with LAPWING_WEBHOOK_URL set sends them.\n`);
      });
    });

  return actions;
}
