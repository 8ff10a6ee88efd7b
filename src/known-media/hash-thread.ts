// The body of one media hashing thread: digests first (they never fail, and
// the pool keeps them even if the decode then kills the thread), then the
// decode and PDQ hash. One image at a time; the pool sends the next when
// this one is answered. Protocol: hash-pool.ts (`ThreadRequest`, `ThreadReply`).
import { parentPort } from "node:worker_threads";
import { isLapwingError } from "../errors/index.js";
import { digestMedia, hashImage } from "../media/index.js";
import type { ThreadReply, ThreadRequest } from "./hash-pool.js";

const port = parentPort!;
const reply = (message: ThreadReply) => port.postMessage(message);

port.on("message", async (request: ThreadRequest) => {
  const { id, bytes } = request;
  reply({ id, kind: "digests", digests: digestMedia(bytes) });
  try {
    const image = await hashImage(bytes, { mode: request.mode, dihedral: request.dihedral, limits: request.limits });
    reply({ id, kind: "hashed", image });
  } catch (error) {
    const known = isLapwingError(error);
    reply({ id, kind: "failed", error: { code: known ? error.code : undefined, message: (error as Error).message, details: known ? error.details : undefined } });
  }
});
reply({ kind: "ready" });
