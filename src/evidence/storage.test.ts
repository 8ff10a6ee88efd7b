import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
// s3rver ships no types: a local S3-compatible server, used here as the object store.
// @ts-expect-error untyped CommonJS module
import S3rver from "s3rver";
import { loadConfig } from "../config/index.js";
import { LapwingError } from "../errors/index.js";
import { createServices } from "../services.js";
import { withStore } from "../store/testing.js";
import { createLocalStorage, createS3Storage, type EvidenceStorage } from "./storage.js";

const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));

/** The same behaviour asked of every backend. */
function contract(name: string, make: () => EvidenceStorage) {
  describe(`evidence storage: ${name}`, () => {
    it("stores, reads back, overwrites and deletes an object; a missing one reads as undefined", async () => {
      const storage = make();
      await storage.put("case-1/item-1", bytes);
      assert.deepEqual(await storage.get("case-1/item-1"), bytes);
      await storage.put("case-1/item-1", Buffer.from("replaced"));
      assert.equal((await storage.get("case-1/item-1"))!.toString(), "replaced");
      assert.equal(await storage.get("case-1/never"), undefined);
      await storage.delete("case-1/item-1");
      assert.equal(await storage.get("case-1/item-1"), undefined);
      await storage.delete("case-1/item-1");
    });

    it("refuses keys that are not <case>/<item> ids (no path tricks)", async () => {
      const storage = make();
      for (const key of ["../etc/passwd", "a/../b", "a/b/c", "/abs", "a", "a/b c"]) {
        await assert.rejects(storage.put(key, bytes), /Invalid evidence object key/);
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "lapwing-storage-"));
after(() => rmSync(dir, { recursive: true, force: true }));
contract("local filesystem", () => createLocalStorage(join(dir, "local")));

describe("evidence storage: S3 (s3rver on a random port)", () => {
  let server: { close(): Promise<void> } | undefined;
  let endpoint = "";
  const settings = () => ({ bucket: "evidence", prefix: "lapwing-evidence/", region: "us-east-1", endpoint, accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true });
  before(async () => {
    const instance = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: join(dir, "s3") });
    const address = (await instance.run()) as AddressInfo;
    endpoint = `http://127.0.0.1:${address.port}`;
    server = instance;
    await (await createS3Storage(settings()).client()).send(new CreateBucketCommand({ Bucket: "evidence" }));
  });
  after(async () => server?.close());

  it("stores, reads back, overwrites and deletes an object; a missing one reads as undefined", async () => {
    const storage = createS3Storage(settings());
    await storage.put("case-1/item-1", bytes);
    assert.deepEqual(await storage.get("case-1/item-1"), bytes);
    await storage.put("case-1/item-1", Buffer.from("replaced"));
    assert.equal((await storage.get("case-1/item-1"))!.toString(), "replaced");
    assert.equal(await storage.get("case-1/never"), undefined);
    await storage.delete("case-1/item-1");
    assert.equal(await storage.get("case-1/item-1"), undefined);
  });

  it("a bucket that does not exist is a clear EVIDENCE_STORAGE_FAILED naming it", async () => {
    const storage = createS3Storage({ ...settings(), bucket: "no-such-bucket" });
    await assert.rejects(storage.put("case-1/item-1", bytes), (e: LapwingError) => e.code === "EVIDENCE_STORAGE_FAILED" && /s3:\/\/no-such-bucket/.test(e.message));
  });

  it("refuses keys that are not <case>/<item> ids", async () => {
    await assert.rejects(createS3Storage(settings()).put("../x", bytes), /Invalid evidence object key/);
  });

  it("the vault on S3: an item sealed into the bucket reads back, and a changed object is detected", async (t) => {
    await withStore("sqlite", (r) => t.skip(r), async (store) => {
      const storage = createS3Storage(settings());
      const config = loadConfig({ env: {}, overrides: { databaseUrl: "sqlite::memory:", evidenceMasterKey: Buffer.alloc(32, 3).toString("base64") } });
      const services = createServices(config, store, { databaseId: 1, evidenceStorage: storage });
      const access = { actor: "user:csr", mayAccess: true, reason: "S3 round trip" };
      const { item } = await services.evidence.store({ caseId: "case-s3", accountId: "acct", kind: "content", bytes, source: "platform_upload", trigger: "case.confirm", actor: "cli" });
      assert.deepEqual((await services.evidence.read(item.id, access)).bytes, bytes);
      const key = `case-s3/${item.id}`;
      const stored = (await storage.get(key))!;
      assert.equal(stored.includes(bytes.subarray(0, 64)), false, "the bucket holds ciphertext only");
      stored[0] = stored[0]! ^ 0xff;
      await storage.put(key, stored);
      await assert.rejects(services.evidence.read(item.id, access), (e: LapwingError) => e.code === "EVIDENCE_TAMPERED");
      await services.close();
    });
  });
});
