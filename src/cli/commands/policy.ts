import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { LapwingError } from "../../errors/index.js";
import type { PolicyDecision } from "../../policy/index.js";
import { printJson, withServices } from "../context.js";
import { auditActor } from "../vocabulary.js";

async function readJson(file: string, code: "POLICY_INVALID" | "VALIDATION_FAILED"): Promise<unknown> {
  const text = await readFile(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LapwingError(code, `${file} is not valid JSON: ${(error as Error).message}`, { pointer: "" });
  }
}

export function policyCommand(): Command {
  const policy = new Command("policy").description("Manage policies: the versioned rules that turn signals into decisions (docs/policies.md)");

  policy
    .command("show")
    .description("Print the active policy set (or one version) as JSON, ready to edit and import; a summary goes to stderr")
    .option("--version <n>", "a stored version instead of the active one (0: the built-in default set)")
    .option("--summary", "print one line per policy instead of the JSON")
    .action(async (o: { version?: string; summary?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const policies = services.policies;
        const set = o.version === undefined ? await policies.active() : await policies.get(Number(o.version));
        process.stderr.write(`Policy set version ${set.version}${set.isBuiltIn ? " (built-in default)" : ` by ${set.createdBy} at ${set.createdAt}`}${set.isActive ? ", active" : ""}: ${set.content.policies.length} policies.\n`);
        if (!o.summary) return void process.stdout.write(JSON.stringify(set.content, null, 2) + "\n");
        const { describeCondition } = await import("../../policy/index.js");
        for (const p of set.content.policies) {
          const then = p.then.map((d) => (d.decision === "review" ? `review(${d.priority})` : d.decision)).join(", ");
          process.stdout.write(`${p.id.padEnd(32)} ${p.mode.padEnd(7)} ${String(p.priority).padStart(5)}  ${then}  when ${describeCondition(p.when)}\n`);
        }
      });
    });

  policy
    .command("import")
    .description("Validate a policy file and store it as a new version, which becomes active at once")
    .argument("<file>", "the policy set as JSON ({version: 1, policies: [...]})")
    .action(async (file: string, _o: unknown, command: Command) => {
      const content = await readJson(file, "POLICY_INVALID");
      await withServices(command, async (services) => {
        const stored = await services.policies.put(content, auditActor.cli);
        const shadow = stored.content.policies.filter((p) => p.mode === "shadow").length;
        process.stdout.write(`Stored policy set version ${stored.version} (${stored.content.policies.length} policies, ${shadow} in shadow mode); it is now active.\n`);
      }, { create: true });
    });

  policy
    .command("history")
    .description("List every stored version, newest first, then the built-in set (version 0)")
    .option("--json", "one JSON object per version")
    .action(async (o: { json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const versions = await services.policies.history();
        if (o.json) return versions.forEach(printJson);
        for (const v of versions) {
          const who = v.isBuiltIn ? "built-in default" : `${v.createdAt} by ${v.createdBy}`;
          process.stdout.write(`${v.isActive ? "*" : " "} v${String(v.version).padEnd(5)} ${String(v.policies).padStart(4)} policies (${v.shadowPolicies} shadow)  ${who}\n`);
        }
      });
    });

  policy
    .command("activate")
    .description("Make an earlier version active again (a rollback; 0 is the built-in default set)")
    .argument("<version>", "the version number")
    .action(async (version: string, _o: unknown, command: Command) => {
      await withServices(command, async (services) => {
        const active = await services.policies.activate(Number(version), auditActor.cli);
        process.stdout.write(`Policy set version ${active.version} is now active.\n`);
      });
    });

  policy
    .command("test")
    .description("Dry run: show what the active set (or a draft file) decides for a file of signals; nothing is stored or acted on")
    .argument("<signals>", "a JSON file holding an array of signals, or {signals: [...]}")
    .option("--policies <file>", "evaluate this draft policy file instead of the active set")
    .option("--subject <id>", "who the signals are about, named in explanations")
    .option("--json", "print the whole evaluation as JSON")
    .action(async (file: string, o: { policies?: string; subject?: string; json?: boolean }, command: Command) => {
      const read = await readJson(file, "VALIDATION_FAILED");
      const signals = Array.isArray(read) ? read : (read as { signals?: unknown } | null)?.signals;
      const draft = o.policies === undefined ? undefined : await readJson(o.policies, "POLICY_INVALID");
      await withServices(command, async (services) => {
        const result = await services.policies.dryRun(signals, { draft, context: o.subject ? { subject: o.subject } : {} });
        if (o.json) return printJson(result);
        const { summarizeDecisions } = await import("../../policy/index.js");
        const summary = summarizeDecisions(result.decisions);
        process.stdout.write(`Policy set ${result.version === -1 ? o.policies : `version ${result.version}`}: ${summary.kinds.length ? summary.kinds.map((k) => (k === "review" ? `review (${summary.reviewPriority})` : k)).join(", ") : "no decisions"}.\n`);
        const line = (label: string) => (d: PolicyDecision) => process.stdout.write(`${label} ${d.explanation}\n`);
        result.decisions.forEach(line("  enforce:"));
        result.shadow.forEach(line("  shadow: "));
      });
    });

  return policy;
}
