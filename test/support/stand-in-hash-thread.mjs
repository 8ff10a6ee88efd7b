// A stand-in for src/known-media/hash-thread.mjs that misbehaves on demand, so
// the pool's handling of dying, hanging and runaway threads can be tested
// without a real hostile decode. The first byte of the job says what to do.
import { parentPort } from "node:worker_threads";

export const behaviours = { answer: 0, exitAfterDigests: 1, hang: 2, throwUncaught: 3, exhaustHeap: 4, failWithoutCode: 5 };

parentPort.on("message", ({ id, bytes }) => {
  parentPort.postMessage({ id, kind: "digests", digests: { md5: "d".repeat(32), sha256: "d".repeat(64) } });
  switch (bytes[0]) {
    case behaviours.exitAfterDigests:
      process.exit(3);
    case behaviours.hang:
      return;
    case behaviours.throwUncaught:
      setImmediate(() => {
        throw new Error("stand-in thread failure");
      });
      return;
    case behaviours.exhaustHeap: {
      const hoard = [];
      for (;;) hoard.push({ at: hoard.length, text: "x".repeat(64) + hoard.length });
    }
    case behaviours.failWithoutCode:
      parentPort.postMessage({ id, kind: "failed", error: { message: "stand-in unexpected failure" } });
      return;
    default:
      parentPort.postMessage({ id, kind: "hashed", image: { pdq: "0".repeat(64), quality: 100, format: "png", width: 1, height: 1 } });
  }
});
parentPort.postMessage({ kind: "ready" });
