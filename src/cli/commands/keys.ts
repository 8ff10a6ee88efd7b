import { Command, Option } from "commander";
import { printJson, withServices } from "../context.js";
import { apiScopes, auditActor, type ApiScope } from "../vocabulary.js";

export function keysCommand(): Command {
  const keys = new Command("keys").description("Create, list and revoke API keys");

  keys
    .command("create")
    .description("Create an API key and print its secret (shown this once only)")
    .requiredOption("--name <name>", "who uses the key, e.g. forum-prod")
    .addOption(new Option("--scope <scopes>", `comma-separated scopes: ${apiScopes.join(", ")}`).default("check"))
    .option("--json", "print the key as JSON")
    .action(async (options: { name: string; scope: string; json?: boolean }, command: Command) => {
      await withServices(command, async ({ keys: service }) => {
        const created = await service.create(options.name, options.scope.split(",").map((s) => s.trim()) as ApiScope[], auditActor.cli);
        if (options.json) return printJson(created);
        process.stdout.write(
          `Created key "${created.name}" (${created.id}) with scopes ${created.scopes.join(", ")}.\n` +
            `Secret (store it now; it is not shown again):\n\n  ${created.secret}\n\n` +
            `Use it as: Authorization: Bearer ${created.secret.slice(0, 12)}…\n`,
        );
      }, { create: true });
    });

  keys
    .command("list")
    .description("List API keys (never their secrets)")
    .option("--json", "one JSON object per key")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withServices(command, async ({ keys: service }) => {
        const all = await service.list();
        if (options.json) return all.forEach(printJson);
        if (all.length === 0) return void process.stdout.write("No API keys yet; create one with `lapwing keys create --name NAME --scope admin`.\n");
        for (const k of all) {
          process.stdout.write(`${k.id}  ${k.name.padEnd(20)}  ${k.scopes.join(",").padEnd(18)}  ${k.revokedAt ? `revoked ${k.revokedAt}` : `last used ${k.lastUsedAt ?? "never"}`}\n`);
        }
      });
    });

  keys
    .command("revoke")
    .description("Revoke an API key at once")
    .argument("<id>", "the key's id (from `lapwing keys list`)")
    .action(async (id: string, _options: unknown, command: Command) => {
      await withServices(command, async ({ keys: service }) => {
        const revoked = await service.revoke(id, auditActor.cli);
        process.stdout.write(`Revoked "${revoked.name}" (${revoked.id}).\n`);
      });
    });

  return keys;
}
