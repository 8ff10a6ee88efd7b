// saveSnapshot logs a failed write instead of throwing (the snapshot only saves start-up time), so it must
// say whether it wrote: the running server records a snapshot only when one was written, and retries otherwise.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Services } from "../services.js";
import { saveSnapshot } from "./start.js";

describe("PDQ index snapshot writes", () => {
  it("resolves true when the snapshot was written and false (with a warning) when it could not be", async () => {
    const services = { liveIndex: { snapshot: () => Uint8Array.of(1, 2, 3) } } as unknown as Services;
    const directory = await mkdtemp(join(tmpdir(), "lapwing-snapshot-"));
    const warnings: unknown[] = [];
    const log = { warn: (...args: unknown[]) => void warnings.push(args) } as Parameters<typeof saveSnapshot>[2];
    try {
      const path = join(directory, "index.pdq-index");
      assert.equal(await saveSnapshot(services, path, log), true);
      assert.deepEqual([...(await readFile(path))], [1, 2, 3]);
      // A directory where the file should go: the rename fails.
      assert.equal(await saveSnapshot(services, directory, log), false);
      assert.equal(warnings.length, 1);
    } finally {
      await rm(directory, { recursive: true, force: true });
      await rm(`${directory}.${process.pid}.tmp`, { force: true }); // the write beside the final name, left by the failed rename
    }
  });
});
