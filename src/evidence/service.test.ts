import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import type { Reviewer } from "../cases/index.js";
import { loadConfig } from "../config/index.js";
import { LapwingError } from "../errors/index.js";
import { createEventProcessor, createEventRepository, type EventTables } from "../events/index.js";
import { defaultPolicySet, type PolicySet } from "../policy/index.js";
import { createServices } from "../services.js";
import { databaseId, type Store } from "../store/index.js";
import { dialects, withStore } from "../store/testing.js";
import { createLocalStorage, evidenceQueueName, verifyArchive, readTar, writeTar, type EvidenceAccess, type EvidenceTables } from "./index.js";

// Synthetic bytes and hashes only: a gradient-like buffer stands in for media.
const csamPdq = "a5".repeat(32);
const keyA = Buffer.alloc(32, 7).toString("base64");
const keyB = Buffer.alloc(32, 9).toString("base64");
const fileBytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) % 251));
const reviewer: Reviewer = { actor: "user:csr", canSeeRestricted: true };
const access: EvidenceAccess = { actor: "user:csr", mayAccess: true, reason: "Preparing the CyberTipline report" };

async function setUp(store: Store, options: { masterKey?: string } = {}) {
  let now = Date.parse("2026-03-01T12:00:00.000Z");
  const clock = () => new Date(now);
  const dir = mkdtempSync(join(tmpdir(), "lapwing-evidence-"));
  const config = loadConfig({
    env: {},
    overrides: {
      databaseUrl: "sqlite::memory:",
      defaultLexicon: false,
      logLevel: "silent",
      evidenceMasterKey: options.masterKey ?? keyA,
      evidenceMasterKeyId: "k1",
      evidenceRetentionByJurisdiction: "GB=730",
    },
  });
  const fetched: string[] = [];
  const services = createServices(config, store, {
    databaseId: await databaseId(store.db),
    clock,
    evidenceStorage: createLocalStorage(dir),
    evidenceFetcher: {
      async fetchMedia(url: string) {
        fetched.push(url);
        return url.endsWith("/gone.jpg") ? { ok: false as const, reason: "fetch_failed" as const, message: "404" } : { ok: true as const, bytes: fileBytes };
      },
    },
  });
  await services.banks.createBank({ name: "synthetic-csam", matchVerdict: "block" });
  await services.banks.addEntries("synthetic-csam", [{ signalType: "pdq", signal: csamPdq, category: "csam" }]);
  await Promise.all(services.followers.map((f) => f.catchUp()));
  const processor = createEventProcessor({ repo: createEventRepository(store.db as Kysely<EventTables>), textCheck: services.textCheck, knownMedia: services.knownMedia, enforcer: services.enforcement, clock });
  let n = 0;
  async function send(...events: Array<Record<string, unknown>>) {
    const withIds = events.map((e) => ({ id: `evt-${++n}`, occurred_at: new Date(now).toISOString(), ...e }));
    await services.events.accept(withIds);
    for (const e of withIds) await processor.process(e.id as string);
    return withIds.map((e) => e.id as string);
  }
  /** Runs the capture jobs the way the evidence worker does. */
  async function runCaptureJobs() {
    for (;;) {
      const jobs = await services.queue.claim(evidenceQueueName, { worker: "test", limit: 10, leaseMs: 60_000 });
      if (jobs.length === 0) return;
      for (const job of jobs) {
        await services.evidence.handleCaptureJob(job as never);
        await services.queue.complete(job.id, "test");
      }
    }
  }
  async function confirmedCase(accountId: string, media: Record<string, unknown>) {
    await send({ type: "account.created", account: { id: accountId, handle: `${accountId}-handle`, age_band: { value: "18_plus", source: "declared" } } });
    await send({ type: "post.created", post: { id: `${accountId}-p1`, author_id: accountId, media: [{ kind: "hashes", pdq: csamPdq, quality: 100, sha256: "5e".repeat(32) }, media] } });
    const { cases } = await services.cases.list(reviewer, { accountId });
    const caseId = cases[0]!.id;
    await services.cases.claim(caseId, reviewer);
    await services.cases.decide(caseId, reviewer, { decision: "confirm", category: "csam" });
    await runCaptureJobs();
    return caseId;
  }
  return { services, send, dir, fetched, runCaptureJobs, confirmedCase, advance: (ms: number) => (now += ms), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A synthetic flat image, listed by its SHA-256 in the synthetic csam bank, sent inline as a post's media. */
async function sendInlineCsamStandIn(services: Awaited<ReturnType<typeof setUp>>["services"], send: Awaited<ReturnType<typeof setUp>>["send"], accountId: string) {
  const sharp = (await import("sharp")).default;
  const image = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 10, g: 200, b: 90 } } }).png().toBuffer();
  const { pdq } = (await services.knownMedia.checkMedia(image, { whenBusy: "wait" })).hashes;
  await services.banks.addEntries("synthetic-csam", [{ signalType: "sha256", signal: createHash("sha256").update(image).digest("hex"), category: "csam" }]);
  await Promise.all(services.followers.map((f) => f.catchUp()));
  const [eventId] = await send({ type: "post.created", post: { id: `${accountId}-p`, author_id: accountId, media: [{ kind: "bytes", id: `${accountId}-m`, data_base64: image.toString("base64") }] } });
  return { image, pdq, eventId: eventId! };
}

const withoutPreserve: PolicySet = {
  version: 1,
  policies: defaultPolicySet.policies.map((p) => ({ ...p, then: p.then.filter((d) => d.decision !== "preserve") })),
};

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

for (const dialect of dialects) {
  describe(`evidence vault (${dialect})`, () => {
    it("a confirmed case gathers its evidence: the URL media fetched, hashes-only media asked of the platform, the account and the signals; stored encrypted", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, confirmedCase, fetched, dir, cleanup } = await setUp(store);
        try {
          // The confirmation alone gathers (an operator who turned the default preserve off, docs/evidence.md).
          await services.policies.put(withoutPreserve, "cli");
          const caseId = await confirmedCase("acct-1", { kind: "url", id: "m-2", url: "https://media.example.org/a/holiday.jpg" });
          assert.deepEqual(fetched, ["https://media.example.org/a/holiday.jpg"]);
          const items = await services.evidence.list(caseId, access);
          assert.deepEqual(items.map((i) => i.kind).sort(), ["account", "content", "signals"]);
          const content = items.find((i) => i.kind === "content")!;
          assert.equal(content.source, "url_fetch");
          assert.equal(content.fileName, "holiday.jpg");
          assert.equal(content.contentId, "m-2");
          assert.equal(content.byteSize, fileBytes.length);
          assert.match(content.sha256, /^[0-9a-f]{64}$/);
          assert.equal(content.trigger, "case.confirm");
          const { bytes } = await services.evidence.read(content.id, access);
          assert.deepEqual(bytes, fileBytes);
          const account = JSON.parse((await services.evidence.read(items.find((i) => i.kind === "account")!.id, access)).bytes.toString("utf8"));
          assert.equal(account.account.handle, "acct-1-handle");
          // At rest: no file in the store holds the plaintext (or any long run of it).
          for (const file of allFiles(dir)) assert.equal(readFileSync(file).includes(fileBytes.subarray(100, 164)), false, `${file} holds plaintext`);
          // The hashes-only media became a content.preserve request the platform answers by upload.
          const { pending } = await services.evidence.caseEvidence(caseId, access);
          assert.equal(pending.length, 1);
          const actions = (await services.actions.list({ caseId, limit: 100 }, { canSeeRestricted: false })).actions;
          const preserve = actions.find((a) => a.kind === "content.preserve")!;
          assert.ok(preserve, "a content.preserve action was sent");
          assert.equal((preserve.details.preservation as { requestId: string }).requestId, pending[0]!.id, "the platform sees the request id even on a restricted case");
          // Running the capture again stores nothing twice and asks nothing twice.
          const again = await services.evidence.capture({ caseId, accountId: "acct-1", trigger: "case.confirm" });
          assert.deepEqual(again, { stored: 0, requested: 0 });
        } finally {
          cleanup();
        }
      });
    });

    it("the platform's upload answers a preservation request once, and a wrong hash is refused", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, confirmedCase, cleanup } = await setUp(store);
        try {
          const caseId = await confirmedCase("acct-2", { kind: "url", id: "m-3", url: "https://media.example.org/gone.jpg" });
          const { pending } = await services.evidence.caseEvidence(caseId, access);
          // Both the hashes-only item and the unfetchable URL are asked for; the URL one has no known hash.
          assert.equal(pending.length, 2);
          const open = pending.find((p) => p.expectedSha256 === null)!;
          const { item } = await services.evidence.acceptUpload(open.id, fileBytes, "key:k1:platform");
          assert.equal(item.source, "platform_upload");
          await assert.rejects(services.evidence.acceptUpload(open.id, fileBytes, "key:k1:platform"), (e: LapwingError) => e.code === "CONFLICT");
          const known = pending.find((p) => p.expectedSha256 !== null)!;
          await assert.rejects(services.evidence.acceptUpload(known.id, Buffer.from("other bytes"), "key:k1:platform"), (e: LapwingError) => e.code === "EVIDENCE_HASH_MISMATCH");
          await assert.rejects(services.evidence.acceptUpload("nope", fileBytes, "x"), (e: LapwingError) => e.code === "EVIDENCE_NOT_FOUND");
        } finally {
          cleanup();
        }
      });
    });

    it("the default policy set preserves a known-CSAM match's inline bytes (which the stored event never keeps)", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send, runCaptureJobs, cleanup } = await setUp(store);
        try {
          // No policy stored: version 0, the built-in set, whose known-csam-hash rule preserves.
          const { image, pdq, eventId } = await sendInlineCsamStandIn(services, send, "acct-9");
          const stored = await services.events.get(eventId);
          assert.doesNotMatch(JSON.stringify(stored), /data_base64/, "the stored event keeps only hashes");
          const { cases } = await services.cases.list(reviewer, { accountId: "acct-9" });
          const items = await services.evidence.list(cases[0]!.id, access);
          const content = items.find((i) => i.kind === "content")!;
          assert.equal(content.source, "event_bytes");
          assert.equal(content.trigger, "policy.preserve");
          assert.equal(content.mimeType, "image/png");
          assert.equal(content.pdq, pdq ?? null);
          assert.deepEqual((await services.evidence.read(content.id, access)).bytes, image);
          await runCaptureJobs();
          assert.ok((await services.evidence.list(cases[0]!.id, access)).some((i) => i.kind === "signals"));
        } finally {
          cleanup();
        }
      });
    });

    it("with the default set, the match's own capture and the confirmation's fetch each URL once", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, confirmedCase, fetched, cleanup } = await setUp(store);
        try {
          const url = "https://media.example.org/b/once.jpg";
          const caseId = await confirmedCase("acct-u1", { kind: "url", id: "m-u1", url });
          assert.deepEqual(fetched, [url]);
          const content = (await services.evidence.list(caseId, access)).filter((i) => i.kind === "content");
          assert.deepEqual(content.map((i) => [i.source, i.trigger]), [["url_fetch", "policy.preserve"]], "kept once, from the match");
        } finally {
          cleanup();
        }
      });
    });

    it("without a master key the default preserve is skipped: the known-CSAM match is still held, suspended and queued", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send, cleanup } = await setUp(store, { masterKey: "" });
        try {
          await sendInlineCsamStandIn(services, send, "acct-k");
          const { cases } = await services.cases.list(reviewer, { accountId: "acct-k" });
          assert.equal(cases.length, 1, "the event was processed into a case");
          assert.deepEqual([cases[0]!.priority, cases[0]!.reportRequested, cases[0]!.restricted], ["urgent", true, true]);
          const kinds = (await services.actions.list({ accountId: "acct-k", limit: 50 }, { canSeeRestricted: true })).actions.map((a) => a.kind).sort();
          assert.deepEqual(kinds, ["account.suspend", "content.hold"]);
          const pending = await services.queue.claim(evidenceQueueName, { worker: "test", limit: 10, leaseMs: 60_000 });
          assert.deepEqual(pending, [], "no capture job waits on a vault that cannot seal");
        } finally {
          cleanup();
        }
      });
    });

    it("detects tampering: changed stored bytes, changed metadata, a swapped wrapped key, a missing object", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, confirmedCase, dir, cleanup } = await setUp(store);
        try {
          const caseId = await confirmedCase("acct-3", { kind: "url", id: "m-4", url: "https://media.example.org/x.jpg" });
          const items = await services.evidence.list(caseId, access);
          const [a, b] = items;
          const db = store.db as Kysely<EvidenceTables>;
          const rowA = (await db.selectFrom("evidence_items").selectAll().where("id", "=", a!.id).executeTakeFirstOrThrow())!;
          const path = join(dir, rowA.storage_key);
          const original = readFileSync(path);
          const flipped = Buffer.from(original);
          flipped[10] = flipped[10]! ^ 1;
          writeFileSync(path, flipped);
          await assert.rejects(services.evidence.read(a!.id, access), (e: LapwingError) => e.code === "EVIDENCE_TAMPERED" && /integrity/.test(e.message));
          writeFileSync(path, original);
          assert.ok(await services.evidence.read(a!.id, access));

          await db.updateTable("evidence_items").set({ file_name: "renamed.jpg" }).where("id", "=", a!.id).execute();
          await assert.rejects(services.evidence.read(a!.id, access), (e: LapwingError) => e.code === "EVIDENCE_TAMPERED");
          // Recomputing the integrity hash does not help: the metadata is authenticated with the bytes.
          const { canonicalMetadata } = await import("./service.js");
          const { integrityHash } = await import("./crypto.js");
          const changed = { ...rowA, file_name: "renamed.jpg" };
          await db.updateTable("evidence_items").set({ integrity: integrityHash(canonicalMetadata(changed), original) }).where("id", "=", a!.id).execute();
          await assert.rejects(services.evidence.read(a!.id, access), (e: LapwingError) => e.code === "EVIDENCE_TAMPERED" && /authenticated decryption/.test(e.message));
          await db.updateTable("evidence_items").set({ file_name: rowA.file_name, integrity: rowA.integrity }).where("id", "=", a!.id).execute();

          const rowB = await db.selectFrom("evidence_items").selectAll().where("id", "=", b!.id).executeTakeFirstOrThrow();
          await db.updateTable("evidence_items").set({ wrapped_key: rowB.wrapped_key }).where("id", "=", a!.id).execute();
          await assert.rejects(services.evidence.read(a!.id, access), (e: LapwingError) => e.code === "EVIDENCE_TAMPERED" && /data key/.test(e.message));
          await db.updateTable("evidence_items").set({ wrapped_key: rowA.wrapped_key }).where("id", "=", a!.id).execute();

          rmSync(path);
          await assert.rejects(services.evidence.read(a!.id, access), (e: LapwingError) => e.code === "EVIDENCE_TAMPERED" && /missing/.test(e.message));
          // The export refuses too, rather than ship a damaged item.
          await assert.rejects(services.evidence.exportCase(caseId, access), (e: LapwingError) => e.code === "EVIDENCE_TAMPERED");
        } finally {
          cleanup();
        }
      });
    });

    it("only those who may, with a reason, and every access is audited", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, confirmedCase, cleanup } = await setUp(store);
        try {
          const caseId = await confirmedCase("acct-4", { kind: "url", id: "m-5", url: "https://media.example.org/y.jpg" });
          await assert.rejects(services.evidence.list(caseId, { actor: "user:mod", mayAccess: false, reason: "curious" }), (e: LapwingError) => e.code === "FORBIDDEN");
          await assert.rejects(services.evidence.list(caseId, { ...access, reason: "  " }), (e: LapwingError) => e.code === "VALIDATION_FAILED");
          const [item] = await services.evidence.list(caseId, access);
          await services.evidence.get(item!.id, access);
          await services.evidence.read(item!.id, access);
          const entries = await services.audit.list({ order: "desc", limit: 20 });
          const actions = entries.map((e) => e.action);
          for (const a of ["evidence.list", "evidence.view", "evidence.read", "evidence.preserve"]) assert.ok(actions.includes(a), `${a} audited`);
          const read = entries.find((e) => e.action === "evidence.read")!;
          assert.equal(read.actor, "user:csr");
          assert.equal(read.details.reason, access.reason);
          assert.equal(read.target?.id, item!.id);
          await assert.rejects(services.evidence.get("missing", access), (e: LapwingError) => e.code === "EVIDENCE_NOT_FOUND");
        } finally {
          cleanup();
        }
      });
    });

    it("retention: a year from the report (per jurisdiction), holds override the purge, and the purge is audited", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, confirmedCase, advance, dir, cleanup } = await setUp(store);
        try {
          const held = await confirmedCase("acct-5", { kind: "url", id: "m-6", url: "https://media.example.org/h.jpg" });
          const free = await confirmedCase("acct-6", { kind: "url", id: "m-7", url: "https://media.example.org/f.jpg" });
          const british = await confirmedCase("acct-7", { kind: "url", id: "m-8", url: "https://media.example.org/g.jpg" });
          // Unreported evidence is never purged.
          assert.deepEqual((await services.evidence.purgeExpired("system")).purgedCases, []);
          const reportedAt = new Date(Date.parse("2026-03-01T12:00:00.000Z")).toISOString();
          for (const c of [held, free]) await services.evidence.noteReported(c, { reportedAt, actor: "system" });
          await services.evidence.noteReported(british, { reportedAt, actor: "system", jurisdiction: "GB" });
          const [first] = await services.evidence.list(free, access);
          assert.equal(first!.retainUntil, "2027-03-01T12:00:00.000Z");
          const hold = await services.evidence.setHold(held, { until: "2027-06-01T00:00:00.000Z" }, { ...access, reason: "Preservation request from a police force, ref 123" });
          const extended = await services.evidence.extendHold(hold.id, { until: "2027-09-01T00:00:00.000Z" }, { ...access, reason: "Extended at the force's request" });
          assert.deepEqual(extended.history.map((h) => h.change), ["set", "extend"]);
          await assert.rejects(services.evidence.extendHold(hold.id, { until: "2027-01-01T00:00:00.000Z" }, access), (e: LapwingError) => e.code === "VALIDATION_FAILED");

          advance(366 * 86_400_000);
          const purge = await services.evidence.purgeExpired("system");
          assert.deepEqual(purge.purgedCases, [free]);
          assert.deepEqual(purge.keptByHold, [held]);
          assert.equal((await services.evidence.list(free, access)).length, 0);
          assert.equal((await services.evidence.list(held, access)).length, 3);
          assert.equal((await services.evidence.list(british, access)).length, 3, "GB keeps two years");
          const audited = await services.audit.list({ action: "evidence.purge", limit: 10 });
          assert.equal(audited.length, 1);
          assert.equal((audited[0]!.details.items as unknown[]).length, 3);
          // The purged objects are gone from the store.
          assert.equal(allFiles(dir).filter((f) => f.includes(free)).length, 0);

          // Past the hold's end the evidence goes; releasing earlier frees it too.
          await services.evidence.releaseHold(hold.id, { ...access, reason: "Case closed by the force" });
          await assert.rejects(services.evidence.releaseHold(hold.id, access), (e: LapwingError) => e.code === "CONFLICT");
          assert.deepEqual((await services.evidence.purgeExpired("system")).purgedCases, [held]);
          const holdAudit = (await services.audit.list({ limit: 100, order: "desc" })).filter((e) => e.action.startsWith("evidence.hold."));
          assert.deepEqual(holdAudit.map((e) => e.action).sort(), ["evidence.hold.extend", "evidence.hold.release", "evidence.hold.set"]);
        } finally {
          cleanup();
        }
      });
    });

    it("a platform deletion, an account purge and a case dismissal never delete held evidence", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send, runCaptureJobs, advance, cleanup } = await setUp(store);
        try {
          const image = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), fileBytes]);
          const sha = (await import("node:crypto")).createHash("sha256").update(image).digest("hex");
          await services.banks.addEntries("synthetic-csam", [{ signalType: "sha256", signal: sha, category: "csam" }]);
          await Promise.all(services.followers.map((f) => f.catchUp()));
          for (const account of ["acct-h", "acct-u"]) {
            await send({ type: "account.created", account: { id: account } });
            await send({ type: "post.created", post: { id: `${account}-p`, author_id: account, media: [{ kind: "bytes", id: `${account}-m`, data_base64: image.toString("base64") }] } });
          }
          await runCaptureJobs();
          const caseOf = async (account: string) => (await services.cases.list(reviewer, { accountId: account })).cases[0]!.id;
          const heldCase = await caseOf("acct-h");
          const unheldCase = await caseOf("acct-u");
          await services.evidence.setHold(heldCase, {}, { ...access, reason: "Court order 42" });
          const before = (await services.evidence.list(heldCase, access)).length;
          assert.ok(before >= 2);

          // The platform deletes the post and purges the account (its own moderation).
          await send({ type: "post.deleted", post: { id: "acct-h-p", author_id: "acct-h" } }, { type: "moderation.outcome", outcome: { target: { type: "account", id: "acct-h" }, action: "removed", reason: "account purged after 30 days" } });
          await send({ type: "post.deleted", post: { id: "acct-u-p", author_id: "acct-u" } });
          // A reviewer dismisses both cases: unreported evidence a policy preserved then expires at once, unless held.
          for (const c of [heldCase, unheldCase]) {
            await services.cases.claim(c, reviewer);
            await services.cases.decide(c, reviewer, { decision: "dismiss", note: "synthetic test" });
          }
          advance(1000);
          const purge = await services.evidence.purgeExpired("system");
          assert.deepEqual(purge.purgedCases, [unheldCase]);
          assert.deepEqual(purge.keptByHold, [heldCase]);
          assert.equal((await services.evidence.list(heldCase, access)).length, before);
          assert.deepEqual((await services.evidence.read((await services.evidence.list(heldCase, access)).find((i) => i.kind === "content")!.id, access)).bytes, image);
        } finally {
          cleanup();
        }
      });
    });

    it("key rotation re-wraps every data key; the old key is then no longer needed", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const first = await setUp(store);
        const caseId = await first.confirmedCase("acct-8", { kind: "url", id: "m-10", url: "https://media.example.org/r.jpg" });
        const items = await first.services.evidence.list(caseId, access);
        assert.ok(items.every((i) => i.keyId === "k1"));
        // A process with only the new key cannot read the old items, and says what to do.
        const storage = createLocalStorage(first.dir);
        const reopen = (over: { previous?: string }) =>
          createServices(loadConfig({ env: {}, overrides: { databaseUrl: "sqlite::memory:", evidenceMasterKey: keyB, evidenceMasterKeyId: "k2", evidencePreviousKeys: over.previous ?? "" } }), store, { databaseId: 1, evidenceStorage: storage });
        try {
          await assert.rejects(reopen({}).evidence.read(items[0]!.id, access), (e: LapwingError) => e.code === "EVIDENCE_KEY_UNKNOWN" && /LAPWING_EVIDENCE_PREVIOUS_KEYS/.test(e.message));
          const rotating = reopen({ previous: `k1:${keyA}` });
          const result = await rotating.evidence.rotateKey("cli");
          assert.deepEqual(result, { rewrapped: items.length, total: items.length, keyId: "k2" });
          assert.deepEqual(await rotating.evidence.rotateKey("cli"), { rewrapped: 0, total: 0, keyId: "k2" });
          const after = reopen({});
          for (const item of items) assert.deepEqual((await after.evidence.read(item.id, access)).item.keyId, "k2");
          assert.deepEqual((await after.evidence.read(items.find((i) => i.kind === "content")!.id, access)).bytes, fileBytes);
          assert.ok((await after.audit.list({ action: "evidence.key.rotate", limit: 5 })).length === 2);
        } finally {
          first.cleanup();
        }
      });
    });

    it("without a master key, evidence work refuses with how to make one", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const services = createServices(loadConfig({ env: {}, overrides: { databaseUrl: "sqlite::memory:" } }), store, { databaseId: 1, evidenceStorage: createLocalStorage(mkdtempSync(join(tmpdir(), "lapwing-nokey-"))) });
        await assert.rejects(services.evidence.rotateKey("cli"), (e: LapwingError) => e.code === "EVIDENCE_KEY_MISSING" && /openssl rand -base64 32/.test(e.message));
        await assert.rejects(services.evidence.store({ caseId: "c", accountId: "a", kind: "content", bytes: fileBytes, source: "lapwing", trigger: "t", actor: "cli" }), (e: LapwingError) => e.code === "EVIDENCE_KEY_MISSING");
      });
    });

    it("exports a case as a tar archive with a hashed manifest that verifies, and names every difference when changed", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, confirmedCase, cleanup } = await setUp(store);
        try {
          const caseId = await confirmedCase("acct-10", { kind: "url", id: "m-11", url: "https://media.example.org/e.jpg" });
          const { archive, manifest, manifestSha256 } = await services.evidence.exportCase(caseId, { ...access, reason: "Law-enforcement request 2026-77" });
          assert.equal(manifest.files.length, 3);
          const verified = verifyArchive(archive);
          assert.deepEqual(verified, { ok: true, caseId, files: 3, problems: [] });
          const entries = readTar(archive);
          assert.equal(entries[1]!.bytes.toString(), `${manifestSha256}  manifest.json\n`);
          const content = manifest.files.find((f) => f.kind === "content")!;
          assert.deepEqual(entries.find((e) => e.path === content.path)!.bytes, fileBytes);
          // A changed file, a missing one and an extra one are each named.
          const changed = entries.map((e) => (e.path === content.path ? { ...e, bytes: Buffer.concat([e.bytes, Buffer.from("x")]) } : e)).filter((e) => e.path !== manifest.files.find((f) => f.kind === "account")!.path);
          changed.push({ path: "items/extra.bin", bytes: Buffer.from("extra") });
          const bad = verifyArchive(writeTar(changed, new Date()));
          assert.equal(bad.ok, false);
          assert.ok(bad.problems.some((p) => p.includes(content.path) && p.includes("SHA-256")));
          assert.ok(bad.problems.some((p) => p.includes("missing from the archive")));
          assert.ok(bad.problems.some((p) => p.includes("items/extra.bin")));
          // A changed manifest no longer matches its hash.
          const forged = entries.map((e) => (e.path === "manifest.json" ? { ...e, bytes: Buffer.from(e.bytes.toString().replace(content.sha256, "0".repeat(64))) } : e));
          assert.ok(verifyArchive(writeTar(forged, new Date())).problems.some((p) => p.includes("manifest was changed")));
          assert.equal(verifyArchive(Buffer.from("not a tar")).ok, false);
          assert.ok((await services.audit.list({ action: "evidence.export", limit: 5 })).length === 1);
        } finally {
          cleanup();
        }
      });
    });
  });
}
