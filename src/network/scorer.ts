import { setImmediate as yieldToLoop } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { errorCodes, LapwingError, type ErrorCode } from "../errors/index.js";
import { NodeIds } from "../graph/index.js";
import { createScoringEngine, type ScoreReply, type ScoreRequest } from "./engine.js";
import type { KeyLookup } from "./model.js";
import type { NetworkRepository } from "./repository.js";

/**
 * Where scoring runs. The service asks for a run and gets the reply with the
 * key lookup its node numbers refer to.
 */
export interface Scorer {
  score(request: ScoreRequest): Promise<{ reply: ScoreReply; lookup: KeyLookup }>;
  close(): Promise<void>;
}

/** Scoring in the calling thread: for an in-memory SQLite, which no other thread can open. */
export function inlineScorer(repo: NetworkRepository, halfLifeDays: number): Scorer {
  const engine = createScoringEngine(repo, halfLifeDays, { sendKeys: false });
  return {
    score: async (request) => ({ reply: await engine.run(request), lookup: engine.model.ids }),
    close: async () => {},
  };
}

/** What the scoring thread is started with. */
export interface ThreadSetup {
  /** The database URL (password included: it never leaves the process). */
  url: string;
  halfLifeDays: number;
}
export type ThreadRequest = { kind: "score"; id: number; request: ScoreRequest } | { kind: "close" };
export type ThreadReply =
  | { kind: "reply"; id: number; reply: ScoreReply }
  | { kind: "failed"; id: number; error: { code?: string; message: string } }
  | { kind: "closed" };

/** Keys interned per turn of the event loop when copying the thread's node numbering. */
const keysPerTurn = 50_000;

/**
 * Scoring in a worker thread, so that the serving thread keeps answering
 * (guard checks, health checks) while the graph is read, folded and scored.
 * The thread opens the database itself and keeps the graph model; each reply
 * carries the scores as transferred typed arrays and the account ids interned
 * since the last reply, which this side copies into its own numbering a slice
 * per turn of the event loop. A thread that dies is replaced on the next run
 * (it reads the feed again from the start).
 */
export function threadScorer(setup: ThreadSetup, script: URL = new URL(import.meta.url.endsWith(".js") ? "./scoring-thread.js" : "./scoring-thread.mjs", import.meta.url)): Scorer {
  let worker: Worker | undefined;
  let ids = new NodeIds();
  let nextId = 1;
  let pending: { id: number; resolve(reply: ScoreReply): void; reject(error: Error): void } | undefined;

  function spawn(): Worker {
    const thread = new Worker(script, { workerData: setup });
    ids = new NodeIds();
    thread.on("message", (message: ThreadReply) => {
      if (message.kind === "closed" || !pending || message.id !== pending.id) return;
      const { resolve, reject } = pending;
      pending = undefined;
      thread.unref();
      if (message.kind === "reply") resolve(message.reply);
      else reject(rebuild(message.error));
    });
    const fail = (why: string) => {
      if (worker !== thread) return;
      worker = undefined;
      const waiting = pending;
      pending = undefined;
      waiting?.reject(new Error(`the network scoring thread ${why}; the next refresh starts a new one`));
    };
    thread.on("error", (error) => fail(`crashed (${error.message})`));
    thread.on("exit", (code) => fail(`stopped (exit code ${code})`));
    return thread;
  }

  async function copyKeys(keysFrom: number, keys: string): Promise<void> {
    if (keysFrom !== ids.size) throw new Error(`the scoring thread numbered keys from ${keysFrom}, this side holds ${ids.size}`);
    if (keys === "") return;
    const list = keys.split("\n");
    for (let start = 0; start < list.length; start += keysPerTurn) {
      const end = Math.min(list.length, start + keysPerTurn);
      for (let i = start; i < end; i++) ids.id(list[i]!);
      if (end < list.length) await yieldToLoop();
    }
  }

  return {
    async score(request) {
      if (pending) throw new Error("a scoring run is already in progress");
      worker ??= spawn();
      const thread = worker;
      const id = nextId++;
      const reply = await new Promise<ScoreReply>((resolve, reject) => {
        pending = { id, resolve, reject };
        thread.ref();
        thread.postMessage({ kind: "score", id, request } satisfies ThreadRequest);
      });
      if (reply.kind === "scored") await copyKeys(reply.keysFrom, reply.keys);
      return { reply, lookup: ids };
    },
    async close() {
      const thread = worker;
      worker = undefined;
      const waiting = pending;
      pending = undefined;
      waiting?.reject(new Error("the network service is closing"));
      if (!thread) return;
      // Let the thread close its database handle; stop it regardless after a moment.
      const closed = new Promise<void>((resolve) => {
        thread.on("message", (m: ThreadReply) => m.kind === "closed" && resolve());
        thread.on("exit", () => resolve());
        setTimeout(resolve, 2000).unref();
      });
      // Held referenced until it answers: an idle thread is unreferenced, and the wait must keep the process alive.
      thread.ref();
      thread.postMessage({ kind: "close" } satisfies ThreadRequest);
      await closed;
      await thread.terminate();
    },
  };
}

function rebuild(error: { code?: string; message: string }): Error {
  return error.code && error.code in errorCodes ? new LapwingError(error.code as ErrorCode, error.message) : new Error(error.message);
}
