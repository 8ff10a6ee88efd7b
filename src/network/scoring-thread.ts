// The body of the network scoring thread: opens the database a second time
// (SQLite in WAL mode lets it read beside the serving thread's writes; on
// PostgreSQL it is a small pool of its own), keeps the graph model, and answers
// one scoring request at a time. Protocol: scorer.ts (`ThreadRequest`, `ThreadReply`).
import { parentPort, workerData } from "node:worker_threads";
import type { Kysely } from "kysely";
import { isLapwingError } from "../errors/index.js";
import { openStore } from "../store/index.js";
import { createScoringEngine } from "./engine.js";
import { transferablesOf } from "./model.js";
import { createNetworkRepository } from "./repository.js";
import type { ThreadReply, ThreadRequest, ThreadSetup } from "./scorer.js";
import type { NetworkTables } from "./tables.js";

const port = parentPort!;
const setup = workerData as ThreadSetup;
const opened = openStore(setup.url, { create: false });
const engine = opened.then((store) => createScoringEngine(createNetworkRepository(store.db as Kysely<NetworkTables>, store.native), setup.halfLifeDays, { sendKeys: true }));
// One request at a time: the service never sends a second before the first is answered.
port.on("message", async (message: ThreadRequest) => {
  if (message.kind === "close") {
    await (await opened.catch(() => undefined))?.close();
    port.postMessage({ kind: "closed" } satisfies ThreadReply);
    return;
  }
  try {
    const reply = await (await engine).run(message.request);
    const transfer = reply.kind === "scored" ? transferablesOf(reply.data) : [];
    port.postMessage({ kind: "reply", id: message.id, reply } satisfies ThreadReply, transfer);
  } catch (error) {
    const known = isLapwingError(error);
    port.postMessage({ kind: "failed", id: message.id, error: { code: known ? error.code : undefined, message: (error as Error).message } } satisfies ThreadReply);
  }
});
