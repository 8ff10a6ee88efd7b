import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { LapwingError, errorCodes, type ErrorCode } from "../errors/index.js";
import { digestMedia, type DecodeLimits, type ImageHashes, type MediaDigests, type PdqMode } from "../media/index.js";

/** One image to hash. */
export interface HashJob {
  bytes: Uint8Array;
  mode: PdqMode;
  dihedral: boolean;
  limits: DecodeLimits;
}

/**
 * What hashing one file gave: its digests always (they come from the bytes,
 * whatever they are), and either the image hashes or why there are none
 * (a `LapwingError`: not an image, corrupt, too many pixels, out of its
 * memory or time budget).
 */
export interface HashOutcome {
  digests: MediaDigests;
  image?: ImageHashes;
  error?: Error;
}

/**
 * When every thread is busy and the queue is full: `refuse` throws
 * `MEDIA_BUSY` at once (for the HTTP API, whose client can retry), `wait`
 * queues the job behind the refusable ones (back-pressure for the event
 * worker, which must never drop an image).
 */
export type WhenBusy = "refuse" | "wait";

export interface MediaHashPoolOptions {
  /** Threads; default one per core (`os.availableParallelism()`). */
  threads?: number;
  /** Refusable jobs that may wait for a thread; one more is refused with `MEDIA_BUSY`. Default 4 per thread. */
  maxQueued?: number;
  /** Each thread's JavaScript heap budget (worker `resourceLimits`), MiB; default 256. */
  threadMemoryMb?: number;
  /** A job that takes longer is stopped and its thread replaced; default 30 s. */
  timeoutMs?: number;
  /** The thread's entry script (default `hash-thread.mjs`); tests pass a stand-in that crashes or hangs. */
  threadScript?: URL;
}

/** Messages to a thread. */
export interface ThreadRequest {
  id: number;
  bytes: Uint8Array;
  mode: PdqMode;
  dihedral: boolean;
  limits: DecodeLimits;
}

/** Messages from a thread: `ready` once loaded; then per job `digests` first, then `hashed` or `failed`. */
export type ThreadReply =
  | { kind: "ready"; id?: undefined }
  | { id: number; kind: "digests"; digests: MediaDigests }
  | { id: number; kind: "hashed"; image: ImageHashes }
  | { id: number; kind: "failed"; error: { code?: string; message: string; details?: unknown } };

interface Task {
  id: number;
  job: HashJob;
  resolve(outcome: HashOutcome): void;
  reject(error: Error): void;
  digests?: MediaDigests;
  startedAt?: number;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker?: Worker;
  task?: Task;
}

/**
 * Decodes and hashes media in a pool of worker threads, so a hostile image
 * (a few kilobytes declaring tens of megapixels) costs a thread for a while,
 * never the event loop: the HTTP server and `/healthz` stay responsive. The
 * threads run the pure `hashImage`/`digestMedia` of src/media.
 *
 * - Bounded: at most `maxQueued` refusable jobs wait; beyond that `run`
 *   throws `MEDIA_BUSY` with a `retryAfterSeconds` estimate. Waiting jobs
 *   (`whenBusy: "wait"`) queue behind them, bounded by their callers.
 * - Budgeted: the pixel limit is checked from the header before decoding;
 *   each thread has a heap limit and each job a time limit. A thread that
 *   dies (out of memory, crash) or overruns is replaced, and its job ends with
 *   `MEDIA_DECODE_FAILED` and the digests, never a hung request.
 * - Lazy and quiet: threads start on first use and do not keep the process
 *   alive while idle; `close()` ends them.
 *
 * @example
 * const pool = createMediaHashPool({ threads: 2 });
 * const { digests, image, error } = await pool.run({ bytes, mode: "full", dihedral: false, limits }, "refuse");
 * await pool.close();
 */
export function createMediaHashPool(options: MediaHashPoolOptions = {}) {
  const threads = options.threads && options.threads > 0 ? options.threads : availableParallelism();
  const maxQueued = options.maxQueued ?? threads * 4;
  const threadMemoryMb = options.threadMemoryMb ?? 256;
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Compiled (dist/), the thread's body runs as it is; from source, hash-thread.mjs registers tsx first.
  const script = options.threadScript ?? new URL(import.meta.url.endsWith(".js") ? "./hash-thread.js" : "./hash-thread.mjs", import.meta.url);
  const slots: Slot[] = Array.from({ length: threads }, () => ({}));
  const refusable: Task[] = [];
  const waiting: Task[] = [];
  let nextId = 1;
  let closed = false;
  let replaced = 0;
  // Mean job time (exponentially weighted), for the Retry-After estimate.
  let meanMs = 500;

  function run(job: HashJob, whenBusy: WhenBusy): Promise<HashOutcome> {
    if (closed) return Promise.reject(new Error("the media hashing pool is closed"));
    const isFull = slots.every((s) => s.task) && refusable.length >= maxQueued;
    if (whenBusy === "refuse" && isFull) {
      const retryAfterSeconds = Math.min(60, Math.max(1, Math.ceil((meanMs * (refusable.length + threads)) / threads / 1000)));
      return Promise.reject(
        new LapwingError("MEDIA_BUSY", `All ${threads} media hashing threads are busy and ${refusable.length} uploads are waiting; retry in ${retryAfterSeconds} s.`, {
          details: { retryAfterSeconds, threads, queued: refusable.length },
        }),
      );
    }
    return new Promise<HashOutcome>((resolve, reject) => {
      (whenBusy === "refuse" ? refusable : waiting).push({ id: nextId++, job, resolve, reject });
      dispatch();
    });
  }

  function dispatch() {
    for (const slot of slots) {
      if (slot.task) continue;
      const task = refusable.shift() ?? waiting.shift();
      if (!task) return;
      start(slot, task);
    }
  }

  function start(slot: Slot, task: Task) {
    const worker = slot.worker ?? spawn(slot);
    worker.ref();
    slot.task = task;
    task.startedAt = performance.now();
    // The time limit runs from now, loading included: a thread stuck before "ready" must not hang the job.
    task.timer = setTimeout(() => stopThread(slot, `took longer than ${timeoutMs} ms (LAPWING_MEDIA_TIMEOUT_MS)`), timeoutMs);
    // A copy of just the file's bytes (the caller's view may share a larger buffer), moved, not cloned.
    const bytes = new Uint8Array(task.job.bytes);
    const request: ThreadRequest = { id: task.id, bytes, mode: task.job.mode, dihedral: task.job.dihedral, limits: task.job.limits };
    worker.postMessage(request, [bytes.buffer]);
  }

  function spawn(slot: Slot): Worker {
    const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: threadMemoryMb } });
    slot.worker = worker;
    worker.on("message", (message: ThreadReply) => {
      if (slot.worker !== worker) return;
      if (message.kind === "ready") {
        // The mean job time (for Retry-After) counts hashing, not the thread's start-up.
        if (slot.task) slot.task.startedAt = performance.now();
        return;
      }
      const task = slot.task;
      if (!task || message.id !== task.id) return;
      if (message.kind === "digests") task.digests = message.digests;
      else if (message.kind === "hashed") finish(slot, { digests: task.digests ?? digestMedia(task.job.bytes), image: message.image });
      else finish(slot, { digests: task.digests ?? digestMedia(task.job.bytes), error: rebuild(message.error) });
    });
    worker.on("error", (error: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      const why = error.code === "ERR_WORKER_OUT_OF_MEMORY" ? `ran out of its ${threadMemoryMb} MiB memory budget (LAPWING_MEDIA_THREAD_MEMORY_MB)` : `crashed (${error.message})`;
      stopThread(slot, why);
    });
    worker.on("exit", (code) => {
      if (slot.worker !== worker) return;
      stopThread(slot, `stopped unexpectedly (exit code ${code})`);
    });
    return worker;
  }

  function finish(slot: Slot, outcome: HashOutcome) {
    const task = slot.task!;
    clearTimeout(task.timer);
    slot.task = undefined;
    slot.worker?.unref();
    meanMs = meanMs * 0.8 + (performance.now() - task.startedAt!) * 0.2;
    task.resolve(outcome);
    dispatch();
  }

  /** Ends a thread that failed or overran; its job, if any, ends with the digests and a clear error. */
  function stopThread(slot: Slot, why: string) {
    const worker = slot.worker;
    slot.worker = undefined;
    if (worker) {
      replaced++;
      void worker.terminate();
    }
    const task = slot.task;
    if (!task) return dispatch();
    const error = new LapwingError(
      "MEDIA_DECODE_FAILED",
      `The thread hashing this file ${why}, so no PDQ hash was computed; its MD5 and SHA-256 were. A file this costly to decode is likely hostile.`,
    );
    finish(slot, { digests: task.digests ?? digestMedia(task.job.bytes), error });
  }

  /** Refuses queued jobs, stops the threads (jobs in progress end with an error), and resolves once they are gone. */
  async function close(): Promise<void> {
    closed = true;
    const error = new Error("the media hashing pool was closed");
    for (const task of [...refusable.splice(0), ...waiting.splice(0)]) task.reject(error);
    const stopping: Array<Promise<number>> = [];
    for (const slot of slots) {
      if (slot.task) {
        clearTimeout(slot.task.timer);
        slot.task.reject(error);
        slot.task = undefined;
      }
      if (slot.worker) stopping.push(slot.worker.terminate());
      slot.worker = undefined;
    }
    await Promise.all(stopping);
  }

  return {
    run,
    close,
    /** The pool's state, for metrics and tests. */
    get stats() {
      return { threads, busy: slots.filter((s) => s.task).length, queued: refusable.length, waiting: waiting.length, started: slots.filter((s) => s.worker).length, replaced };
    },
  };
}

export type MediaHashPool = ReturnType<typeof createMediaHashPool>;

/**
 * The thread's failure as a `LapwingError`. One without a known code (a bug
 * or an unexpected throw in the thread) is still a decode failure of this
 * file, never a plain Error: that would be a 500 on `/v1/media/check` and an
 * event job retried until dead-lettered.
 */
function rebuild(error: { code?: string; message: string; details?: unknown }): LapwingError {
  if (error.code !== undefined && error.code in errorCodes) return new LapwingError(error.code as ErrorCode, error.message, { details: error.details });
  return new LapwingError(
    "MEDIA_DECODE_FAILED",
    `Hashing this file failed (${error.message}), so no PDQ hash was computed; its MD5 and SHA-256 were.`,
  );
}
