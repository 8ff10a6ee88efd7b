// A report worker process for the crash test: `node --import tsx
// test/support/report-worker.ts`, configured by LAPWING_* variables like
// `lapwing worker`, with the stand-in vault as the evidence vault (the real
// one lives in another capability). It runs only the `reports` queue; SIGTERM
// stops it cleanly, SIGKILL is what the test sends.
import { loadConfig } from "../../src/config/index.js";
import { startReportWorker } from "../../src/reports/index.js";
import { createServices } from "../../src/services.js";
import { migrateToLatest, openStore } from "../../src/store/index.js";
import { standInVault } from "./stand-in-vault.js";

const config = loadConfig();
const store = await openStore(config.databaseUrl);
await migrateToLatest(store.db);
const services = createServices(config, store, { databaseId: 1, reportFiles: standInVault() });
const stop = new AbortController();
process.once("SIGTERM", () => stop.abort());
process.stderr.write("report worker running\n");
await startReportWorker(services, stop.signal, {
  pollMs: 20,
  leaseMs: config.reportsLeaseSeconds * 1000,
  log: { warn: (details, message) => process.stderr.write(`${message} ${String(details.err ?? "")}\n`) },
});
await services.close();
await store.close();
