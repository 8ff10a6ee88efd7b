import { Command, Option } from "commander";
import type { Reviewer } from "../../cases/index.js";
import { LapwingError } from "../../errors/index.js";
import { accountKeyFrom, platformOption, printJson, wholeNumber, withServices } from "../context.js";
import {
  auditActor,
  caseStates,
  industryClassifications,
  reportAnnotations,
  reviewerDecisions,
  reviewPriorities,
  type CaseState,
  type IndustryClassification,
  type ReportAnnotation,
  type ReviewerDecision,
  type ReviewPriority,
} from "../vocabulary.js";
import { formatCaseReport } from "./case-report.js";

// The operator at the command line has the database itself, so nothing is hidden from them.
const operator: Reviewer = { actor: auditActor.cli, canSeeRestricted: true };

export function casesCommand(): Command {
  const cases = new Command("cases").description("The review queue: list, inspect and decide cases (one per account; docs/cases.md)");

  cases
    .command("list")
    .description("Undecided cases, most urgent first, then oldest")
    .addOption(new Option("--state <states...>", "only these states").choices([...caseStates]))
    .addOption(new Option("--priority <priority>", "this priority or more urgent").choices([...reviewPriorities]))
    .option("--account <id>", "only this account's cases")
    .option(...platformOption)
    .option("--limit <n>", "most cases to show", "50")
    .option("--json", "one JSON object per case")
    .action(async (o: { state?: CaseState[]; priority?: ReviewPriority; account?: string; platform?: string; limit: string; json?: boolean }, command: Command) => {
      const accountId = o.account === undefined ? undefined : accountKeyFrom(o.account, o.platform);
      await withServices(command, async (services) => {
        const { cases: found } = await services.cases.list(operator, { states: o.state, priority: o.priority, accountId, limit: wholeNumber(o.limit, "--limit", { min: 1, max: 500 }) });
        if (o.json) return found.forEach(printJson);
        if (found.length === 0) return void process.stderr.write("No cases.\n");
        for (const c of found) {
          const claim = c.claimedBy ? ` claimed by ${c.claimedBy}` : "";
          process.stdout.write(`${c.id}  ${c.priority.padEnd(6)} ${c.state.padEnd(9)} ${c.restricted ? "restricted " : ""}account ${c.accountId}${c.platformId === undefined ? "" : ` (platform ${c.platformId})`}  ${c.decisionCount} decision(s), ${formatAge(c.ageSeconds)} old${claim}\n`);
        }
      });
    });

  cases
    .command("show")
    .description("A case with its decisions (policies, signals and policy version), actions and history")
    .argument("<id>", "the case id")
    .option("--json", "the whole case as one JSON document, for scripts")
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const found = await services.cases.get(id, operator);
        process.stdout.write(o.json ? JSON.stringify(found, null, 2) + "\n" : formatCaseReport(found));
      });
    });

  cases
    .command("decide")
    .description("Decide cases (by id, or every undecided case of the given accounts) as the operator; cases another reviewer holds are skipped")
    .argument("[ids...]", "case ids")
    .addOption(new Option("--decision <decision>", "what to decide").choices([...reviewerDecisions]).makeOptionMandatory())
    .option("--account <ids...>", "decide the undecided cases of these accounts")
    .option(...platformOption)
    .option("--category <category>", "required with confirm: what was found (csam, grooming, seller_advert, …)")
    .addOption(new Option("--industry-classification <class>", "with confirm: the content's industry classification, sent with each report file (docs/reporting.md)").choices([...industryClassifications]))
    .option(
      "--annotations <names>",
      `with confirm or safeguard: CyberTipline report annotations to add to those the signals justify, separated by commas (${reportAnnotations.join(", ")}; docs/safeguarding.md)`,
    )
    .option("--note <text>", "why, for the case history")
    .option("--json", "one JSON result per case")
    .action(
      async (
        ids: string[],
        o: { decision: ReviewerDecision; account?: string[]; platform?: string; category?: string; industryClassification?: IndustryClassification; annotations?: string; note?: string; json?: boolean },
        command: Command,
      ) => {
        // Checked before the database opens, in the flags' own words: the service's checks name the API's fields.
        if (o.industryClassification !== undefined && o.decision !== "confirm") {
          throw new LapwingError("VALIDATION_FAILED", `--industry-classification goes only with --decision confirm (got --decision ${o.decision}); leave it out or confirm.`, { pointer: "/industry-classification" });
        }
        const annotations = o.annotations === undefined ? undefined : annotationList(o.annotations, o.decision);
        const accountIds = o.account?.map((account) => accountKeyFrom(account, o.platform));
        await withServices(command, async (services) => {
          const { results } = await services.cases.decideMany(
            operator,
            { caseIds: ids, accountIds },
            { decision: o.decision, category: o.category, industryClassification: o.industryClassification, annotations, note: o.note },
          );
          if (o.json) return results.forEach(printJson);
          for (const r of results) process.stdout.write(r.ok ? `${r.caseId}  ${o.decision}: ${r.actions} action(s) emitted\n` : `${r.caseId}  not decided: ${r.code}: ${r.message}\n`);
          if (results.some((r) => !r.ok)) process.exitCode = 1;
        });
      },
    );

  return cases;
}

/** `--annotations sextortion,minor_to_minor_interaction` as the decision's list, or an error saying how to write it. */
export function annotationList(text: string, decision: ReviewerDecision): ReportAnnotation[] {
  const example = "for example --annotations sextortion,minor_to_minor_interaction";
  if (decision !== "confirm" && decision !== "safeguard") {
    throw new LapwingError("VALIDATION_FAILED", `--annotations goes only with --decision confirm or safeguard (got --decision ${decision}); leave it out or choose one of those.`, {
      pointer: "/annotations",
    });
  }
  const names = text.split(",").map((name) => name.trim());
  if (names.some((name) => name === "")) {
    throw new LapwingError("VALIDATION_FAILED", `--annotations takes one or more names separated by commas, with nothing empty between them (${example}); got "${text}".`, { pointer: "/annotations" });
  }
  const unknown = names.find((name) => !(reportAnnotations as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new LapwingError("VALIDATION_FAILED", `--annotations: "${unknown.slice(0, 60)}" is not an annotation; use any of ${reportAnnotations.join(", ")} (${example}).`, { pointer: "/annotations" });
  }
  return [...new Set(names as ReportAnnotation[])];
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
