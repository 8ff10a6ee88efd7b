import { Command, Option } from "commander";
import type { ReportDetail } from "../../reports/index.js";
import { printJson, wholeNumber, withServices } from "../context.js";
import { auditActor, reportStates, type ReportState } from "../vocabulary.js";

export function reportsCommand(): Command {
  const reports = new Command("reports").description("CyberTipline reports: list, inspect, print the XML, retry (docs/reporting.md)");

  reports
    .command("list")
    .description("Reports, newest first")
    .addOption(new Option("--state <states...>", "only these states").choices([...reportStates]))
    .option("--limit <n>", "most reports to show", "100")
    .option("--json", "one JSON object per report per line (id, caseId, state, ncmecReportId, …)")
    .action(async (o: { state?: ReportState[]; limit: string; json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const found = await services.reports.list({ states: o.state, limit: wholeNumber(o.limit, "--limit", { min: 1, max: 1000 }) });
        if (o.json) return found.forEach(printJson);
        if (found.length === 0) return void process.stderr.write("No reports.\n");
        for (const r of found) {
          process.stdout.write(`${r.id}  ${r.state.padEnd(22)} case ${r.caseId}  ${r.ncmecReportId ? `NCMEC ${r.ncmecReportId}` : "not submitted"}  ${r.progress}${r.lastError ? `\n    last error: ${r.lastError}\n    what to do: ${r.hint}` : ""}${r.notice ? `\n    note: ${r.notice}` : ""}\n`);
        }
      });
    });

  reports
    .command("show")
    .description("A report with its files, abandoned NCMEC reports and history")
    .argument("<id>", "the report id")
    .option("--json", "the whole report as one JSON document")
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const found = await services.reports.get(id);
        process.stdout.write(o.json ? JSON.stringify(found, null, 2) + "\n" : formatReport(found));
      });
    });

  reports
    .command("xml")
    .description("Print the report's <report> XML as it was (or will be) submitted")
    .argument("<id>", "the report id")
    .action(async (id: string, _o: unknown, command: Command) => {
      await withServices(command, async (services) => {
        const xml = await services.reports.xml(id);
        process.stdout.write(xml.endsWith("\n") ? xml : xml + "\n");
      });
    });

  reports
    .command("retry")
    .description("Send a report again: a failed one from scratch, any other unfinished one from where it stopped (a worker with NCMEC credentials sends it)")
    .argument("<id>", "the report id")
    .action(async (id: string, _o: unknown, command: Command) => {
      await withServices(command, async (services) => {
        const r = await services.reports.retry(id, auditActor.cli);
        process.stdout.write(`${r.id}  queued again (${r.state})\n`);
      });
    });

  return reports;
}

function formatReport(r: ReportDetail): string {
  const lines = [
    `Report ${r.id}: ${r.state} (${r.environment}), ${r.progress}`,
    `  case      ${r.caseId} (account ${r.accountId}${r.platformId === undefined ? "" : ` on platform ${r.platformId}`}, category ${r.category})`,
    `  NCMEC     ${r.ncmecReportId ?? "not submitted"}${r.abandonedNcmecReportIds.length > 0 ? `; abandoned ${r.abandonedNcmecReportIds.join(", ")}` : ""}`,
    `  created   ${r.createdAt}, updated ${r.updatedAt}${r.finishedAt ? `, finished ${r.finishedAt}` : ""}`,
  ];
  if (r.lastError) lines.push(`  error     ${r.lastErrorCode}: ${r.lastError}`, `  what to do ${r.hint}`);
  if (r.notice) lines.push(`  note      ${r.notice}`);
  lines.push("", `Files (${r.files.length}):`);
  for (const f of r.files) lines.push(`  ${f.position + 1}. ${f.fileName}  ${f.state}${f.ncmecFileId ? `  NCMEC file ${f.ncmecFileId}` : ""}`);
  lines.push("", "History:");
  for (const h of r.history) lines.push(`  ${h.at}  ${h.actor}  ${h.kind}  ${JSON.stringify(h.details)}`);
  return lines.join("\n") + "\n";
}
