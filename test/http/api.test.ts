import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import { hashMedia } from "../../src/media/index.js";
import { dialects } from "../../src/store/testing.js";
import { pngBomb, syntheticJpeg, syntheticPixels, syntheticPng } from "../support/images.js";
import { startTestServer, type TestServer } from "../support/server.js";

const maxUploadBytes = 2 * 1024 * 1024;

for (const dialect of dialects) {
  describe(`HTTP API over a real socket (${dialect})`, () => {
    let server: TestServer | undefined;
    let skipReason = "";
    let original: Buffer;

    before(async () => {
      const started = await startTestServer(dialect, { maxUploadBytes });
      if (typeof started === "string") skipReason = started;
      else server = started;
      original = await syntheticPng(640, 480, 7);
    });
    after(async () => server?.close());

    const api = (t: { skip(reason: string): void }) => {
      if (!server) t.skip(skipReason);
      return server;
    };

    it("serves /healthz and the API document without a key and refuses every other route without one", async (t) => {
      const s = api(t);
      if (!s) return;
      const health = await s.request("/healthz", { key: null });
      assert.equal(health.status, 200);
      assert.equal((await health.json()).status, "ok");

      const doc = (await (await s.request("/openapi.json", { key: null })).json()) as { paths: Record<string, Record<string, unknown>> };
      const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => [m.toUpperCase(), path.replace(/\{[^}]+\}/g, "x")] as const));
      assert.ok(routes.length >= 12, `expected the API's routes in the document, got ${routes.length}`);
      const checkBody = (doc.paths["/v1/media/check"]!.post as { requestBody: { content: Record<string, { schema: { properties?: object } }> } }).requestBody.content;
      assert.deepEqual(Object.keys(checkBody).sort(), ["application/json", "application/octet-stream", "image/*"]);
      assert.ok("pdq" in checkBody["application/json"]!.schema.properties!, "the JSON alternative is documented");
      for (const [method, path] of [...routes, ["GET", "/metrics"] as const]) {
        // The public routes: health, the console login, and the API document with its /docs page (test/http/role-matrix.test.ts checks every route's access).
        if (path === "/healthz" || (method === "POST" && path === "/v1/session")) continue;
        const res = await s.request(path, { method, key: null });
        assert.equal(res.status, 401, `${method} ${path} without a key`);
        const wrong = await s.request(path, { method, key: "lw_01ARZ3NDEKTSV4RRFFQ69G5FAV_" + "A".repeat(43) });
        assert.equal(wrong.status, 401, `${method} ${path} with an unknown key`);
      }
      // A check-only key cannot manage banks.
      const forbidden = await s.request("/v1/banks", { key: s.checkKey });
      assert.equal(forbidden.status, 403);
      assert.equal((await forbidden.json()).error.code, "FORBIDDEN");
    });

    it("hashes uploaded bytes exactly as the library does", async (t) => {
      const s = api(t);
      if (!s) return;
      const res = await s.request("/v1/media/hash?dihedral=true", { method: "POST", key: s.checkKey, headers: { "content-type": "image/png" }, body: original });
      assert.equal(res.status, 200);
      const body = await res.json();
      const expected = await hashMedia(original, { dihedral: true });
      assert.equal(body.pdq, expected.pdq);
      assert.equal(body.quality, expected.quality);
      assert.equal(body.sha256, expected.sha256);
      assert.equal(body.dihedral.rot90, expected.dihedral!.rot90);
    });

    it("matches a re-encoded copy and a rotated copy against a bank, and stops when the bank is disabled", async (t) => {
      const s = api(t);
      if (!s) return;
      const listed = await hashMedia(original);
      assert.equal((await s.request("/v1/banks", { method: "POST", json: { name: "synthetic-known", pdqThreshold: 31 } })).status, 201);
      const add = await s.request("/v1/banks/synthetic-known/entries", {
        method: "POST",
        json: { entries: [{ signalType: "pdq", signal: listed.pdq, category: "synthetic-test" }, { signalType: "md5", signal: listed.md5 }] },
      });
      assert.equal(add.status, 201);
      assert.deepEqual(await add.json(), { added: 2, duplicates: 0 });

      const jpeg = await sharp(original).jpeg({ quality: 60 }).toBuffer();
      const check = await s.request("/v1/media/check", { method: "POST", key: s.checkKey, headers: { "content-type": "application/octet-stream" }, body: jpeg });
      assert.equal(check.status, 200);
      const result = await check.json();
      assert.equal(result.verdict, "block");
      assert.equal(result.matches.length, 1, "only the PDQ entry matches a re-encoded file");
      assert.equal(result.matches[0].bank.name, "synthetic-known");
      assert.equal(result.matches[0].entry.category, "synthetic-test");
      assert.ok(result.matches[0].distance <= 31);

      const exact = await (await s.request("/v1/media/check", { method: "POST", key: s.checkKey, headers: { "content-type": "image/png" }, body: original })).json();
      assert.deepEqual(exact.matches.map((m: { signalType: string; distance: number }) => [m.signalType, m.distance]).sort(), [["md5", 0], ["pdq", 0]]);

      const rotated = await sharp(original).rotate(90).png().toBuffer();
      const plain = await (await s.request("/v1/media/check", { method: "POST", key: s.checkKey, headers: { "content-type": "image/png" }, body: rotated })).json();
      assert.equal(plain.verdict, "allow", "a rotated copy is far from the plain hash");
      const dihedral = await (await s.request("/v1/media/check?dihedral=true", { method: "POST", key: s.checkKey, headers: { "content-type": "image/png" }, body: rotated })).json();
      assert.equal(dihedral.verdict, "block");
      // The query was turned 90° clockwise; turning it back counter-clockwise ("rot90") gives the listed image.
      assert.equal(dihedral.matches[0].orientation, "rot90");

      const unrelated = await syntheticJpeg(640, 480, 99);
      const miss = await (await s.request("/v1/media/check", { method: "POST", key: s.checkKey, headers: { "content-type": "image/jpeg" }, body: unrelated })).json();
      assert.deepEqual([miss.verdict, miss.matches.length], ["allow", 0]);

      // Checking by hashes, one at a time and in a batch.
      const byHash = await (await s.request("/v1/media/check", { method: "POST", key: s.checkKey, json: { pdq: listed.pdq, quality: listed.quality } })).json();
      assert.equal(byHash.verdict, "block");
      const lookup = await s.request("/v1/hashes/lookup", {
        method: "POST",
        key: s.checkKey,
        json: { hashes: [{ signalType: "md5", signal: listed.md5.toUpperCase() }, { signalType: "pdq", signal: (await hashMedia(unrelated)).pdq }] },
      });
      const batch = await lookup.json();
      assert.deepEqual(batch.results.map((r: { verdict: string }) => r.verdict), ["block", "allow"]);

      assert.equal((await s.request("/v1/banks/synthetic-known", { method: "PATCH", json: { enabled: false } })).status, 200);
      const off = await (await s.request("/v1/media/check", { method: "POST", key: s.checkKey, json: { pdq: listed.pdq, md5: listed.md5 } })).json();
      assert.deepEqual([off.verdict, off.matches.length], ["allow", 0]);
    });

    it("imports and exports bank files", async (t) => {
      const s = api(t);
      if (!s) return;
      const pdq = "a".repeat(64);
      const csv = `signal_type,signal_str,collab,category,tags\npdq,${pdq},te-bank,synthetic,"x,y"\n`;
      const imported = await s.request("/v1/banks/import?format=threatexchange", { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
      assert.equal(imported.status, 200);
      assert.equal((await imported.json()).added, 1);
      const exported = await s.request("/v1/banks/te-bank/export?format=threatexchange");
      assert.equal(exported.status, 200);
      assert.match(exported.headers.get("content-type") ?? "", /text\/csv/);
      assert.equal(await exported.text(), `signal_type,signal_str,collab,category,tags\npdq,${pdq},te-bank,synthetic,"x,y"\n`);
      const bad = await s.request("/v1/banks/import", { method: "POST", headers: { "content-type": "text/csv" }, body: "signal_type,signal,bank,category,note\npdq,zz,b,,\n" });
      assert.equal(bad.status, 400);
      assert.equal((await bad.json()).error.code, "IMPORT_MALFORMED");
    });

    it("answers bad input with a clear 4xx and keeps serving", async (t) => {
      const s = api(t);
      if (!s) return;
      const png = original;
      const cases: Array<[string, RequestInit & { json?: unknown }, number, string]> = [
        ["zero bytes", { body: Buffer.alloc(0), headers: { "content-type": "application/octet-stream" } }, 400, "MEDIA_EMPTY"],
        ["truncated PNG", { body: png.subarray(0, Math.floor(png.length / 2)), headers: { "content-type": "image/png" } }, 422, "MEDIA_DECODE_FAILED"],
        ["random bytes", { body: Buffer.from(syntheticPixels(16, 16, 3)), headers: { "content-type": "application/octet-stream" } }, 415, "MEDIA_UNSUPPORTED_FORMAT"],
        ["a text file", { body: Buffer.from("hello, this is not an image\n"), headers: { "content-type": "application/octet-stream" } }, 415, "MEDIA_UNSUPPORTED_FORMAT"],
        ["a 60000×60000 PNG bomb", { body: pngBomb(), headers: { "content-type": "image/png" } }, 413, "MEDIA_TOO_MANY_PIXELS"],
        ["a body over the upload limit", { body: Buffer.alloc(maxUploadBytes + 1), headers: { "content-type": "application/octet-stream" } }, 413, "PAYLOAD_TOO_LARGE"],
        ["a malformed PDQ hash", { json: { pdq: "xyz" } }, 400, "HASH_MALFORMED"],
        ["no hash at all", { json: {} }, 400, "VALIDATION_FAILED"],
        ["malformed JSON", { body: "{not json", headers: { "content-type": "application/json" } }, 400, "BAD_REQUEST"],
        ["a wrong content type", { body: "x", headers: { "content-type": "application/xml" } }, 415, "UNSUPPORTED_CONTENT_TYPE"],
      ];
      // Undecodable bytes are refused by /v1/media/hash; /v1/media/check still matches their digests (test/hostile/media.test.ts).
      const isDecodeError = (code: string) => /^MEDIA_(DECODE_FAILED|UNSUPPORTED_FORMAT|TOO_MANY_PIXELS)$/.test(code);
      for (const [name, init, status, code] of cases) {
        const res = await s.request(isDecodeError(code) ? "/v1/media/hash" : "/v1/media/check", { method: "POST", key: s.checkKey, ...init });
        const body = await res.json();
        assert.equal(res.status, status, `${name}: ${JSON.stringify(body)}`);
        assert.equal(body.error.code, code, name);
        assert.ok(body.error.message.length > 10, `${name} explains itself`);
        assert.ok(body.error.requestId);
      }
      const lookupBad = await s.request("/v1/hashes/lookup", { method: "POST", key: s.checkKey, json: { hashes: [{ signalType: "md5", signal: "0".repeat(32) }, { signalType: "pdq", signal: "0".repeat(63) }] } });
      assert.equal(lookupBad.status, 400);
      assert.equal((await lookupBad.json()).error.pointer, "/hashes/1/signal");
      const unknownBank = await s.request("/v1/banks/does-not-exist");
      assert.equal(unknownBank.status, 404);
      assert.equal((await unknownBank.json()).error.code, "BANK_NOT_FOUND");
      assert.equal((await s.request("/healthz", { key: null })).status, 200, "still serving");
    });

    it("records every bank and key change in the audit log, with the key that made it", async (t) => {
      const s = api(t);
      if (!s) return;
      const log = await (await s.request("/v1/audit?limit=1000")).json();
      const actions = log.entries.map((e: { action: string }) => e.action);
      for (const action of ["key.create", "bank.create", "bank.entries.add", "bank.update", "bank.import"]) {
        assert.ok(actions.includes(action), `${action} is in the audit log (${actions.join(", ")})`);
      }
      const created = log.entries.find((e: { action: string; details: { name?: string } }) => e.action === "bank.create" && e.details.name === "synthetic-known");
      assert.match(created.actor, /^key:[0-9A-Z]{26}:test-admin$/);
      const verified = await (await s.request("/v1/audit/verify")).json();
      assert.equal(verified.ok, true);
      assert.equal(verified.checked, log.entries.length);
      assert.equal((await s.request("/v1/audit", { key: s.checkKey })).status, 403);
    });

    it("exposes Prometheus metrics", async (t) => {
      const s = api(t);
      if (!s) return;
      const res = await s.request("/metrics", { key: s.checkKey });
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /lapwing_http_requests_total\{/);
      assert.match(text, /lapwing_pdq_index_hashes \d+/);
    });
  });
}
