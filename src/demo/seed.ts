import { randomBytes } from "node:crypto";
import { auditActor } from "../audit/index.js";
import { maxEventBatch } from "../events/index.js";
import { generateScenario, scenarioStandIns, type ScenarioEvent } from "../scenario/index.js";
import type { Services } from "../services.js";
import { roles, type Role } from "../users/index.js";

import { defaultDemoAccounts } from "./defaults.js";

export { defaultDemoAccounts };
export const demoBankName = "demo-known-media";
export const demoLexiconName = "scenario-stand-ins";

export interface DemoUser {
  username: string;
  role: Role;
  password: string;
}

export interface DemoSeed {
  events: number;
  networkSeeds: readonly string[];
  bankEntries: number;
  users: DemoUser[];
}

/**
 * Fills a fresh database with a synthetic platform for the demo: the
 * scenario's stand-in lexicon and random-hash bank (category `csam`, so
 * restricted cases exist), its events through the events service (processed
 * by whatever workers run), its planted network's seeds, and one console
 * user per role with a random password. Everything is synthetic
 * (docs/scenario.md); the same seed gives the same platform.
 */
export async function seedDemo(services: Services, options: { accounts?: number; seed?: number; progress?: (line: string) => void } = {}): Promise<DemoSeed> {
  const progress = options.progress ?? (() => {});
  const actor = auditActor.cli;
  const events: ScenarioEvent[] = [];
  const hashes: string[] = [];
  const scenario = generateScenario(
    { accounts: options.accounts ?? defaultDemoAccounts, seed: options.seed ?? 1 },
    { event: (event) => events.push(event), bankEntry: (entry) => hashes.push(entry.pdq), recommendations: () => {} },
  );

  // Matching must be in place before the first event is processed.
  await services.lexicons.put(demoLexiconName, { entries: scenarioStandIns.map((e) => ({ ...e, note: "synthetic stand-in" })) }, undefined, actor, { force: true });
  await services.lexiconRegistry.catchUp();
  await services.banks.createBank({ name: demoBankName, matchVerdict: "block" }, actor);
  await services.banks.addEntries(demoBankName, hashes.map((signal) => ({ signalType: "pdq", signal, category: "csam", note: "synthetic random hash" })), "demo", actor);
  await services.liveIndex.catchUp();

  for (let i = 0; i < events.length; i += maxEventBatch) {
    await services.events.accept(events.slice(i, i + maxEventBatch));
    progress(`events sent: ${Math.min(i + maxEventBatch, events.length)} of ${events.length}`);
  }
  await services.network.seed(scenario.labels.network.seeds, "demo: the synthetic scenario's known seller accounts", actor);

  const users: DemoUser[] = [];
  for (const role of roles) {
    const password = randomBytes(12).toString("base64url");
    await services.users.create({ username: `demo-${role.replace(/_/g, "-")}`, password, role }, actor);
    users.push({ username: `demo-${role.replace(/_/g, "-")}`, role, password });
  }
  return { events: events.length, networkSeeds: scenario.labels.network.seeds, bankEntries: hashes.length, users };
}
