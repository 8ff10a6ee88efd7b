import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, describe, it } from "node:test";
import { startJsonEndpoint, type EndpointAnswer, type JsonEndpoint } from "../../../test/support/json-endpoint.js";
import { isLapwingError } from "../../errors/index.js";
import { httpGuard, httpSource } from "./index.js";

const context = { origin: "o", step: 1, followed: [] };
const sourceFailure = (message: RegExp) => (e: unknown) => isLapwingError(e) && e.code === "RECS_SOURCE_FAILED" && message.test(e.message);

describe("recommender audit over HTTP", () => {
  const endpoints: JsonEndpoint[] = [];
  const start = async (handler: Parameters<typeof startJsonEndpoint>[0]) => {
    const endpoint = await startJsonEndpoint(handler);
    endpoints.push(endpoint);
    return endpoint;
  };
  after(() => Promise.all(endpoints.map((e) => e.close())));

  it("asks the platform's endpoint with the placeholders filled in and encoded, and reads both answer shapes", async () => {
    const endpoint = await start(({ url }) => {
      const viewer = url.searchParams.get("viewer")!;
      return viewer === "plain" ? { json: ["a", 2] } : { json: { candidates: [{ id: "c", score: 0.9 }, "d"] } };
    });
    const source = httpSource({ template: `${endpoint.url}/suggestions?viewer={viewer}&surface={surface}&who={origin}&step={step}`, headers: { "x-platform-token": "t" } });
    assert.deepEqual(await source.suggest("plain", "accounts", context), ["a", "2"]);
    assert.deepEqual(await source.suggest("a b/c?&d=é", "hashtags", { origin: "o&x", step: 3, followed: [] }), ["c", "d"]);
    const last = endpoint.requests.at(-1)!;
    assert.deepEqual(Object.fromEntries(last.url.searchParams), { viewer: "a b/c?&d=é", surface: "hashtags", who: "o&x", step: "3" });
    assert.equal(last.headers["x-platform-token"], "t");
    assert.match(source.description, /suggestions\?viewer=\{viewer\}/);
  });

  it("asks each URL once per run, even when walks ask at the same time", async () => {
    const endpoint = await start(() => ({ json: ["x"], delayMs: 20 }));
    const source = httpSource({ template: `${endpoint.url}/s?v={viewer}` });
    const answers = await Promise.all([1, 2, 3].map(() => source.suggest("same", "accounts", context)));
    assert.deepEqual(answers, [["x"], ["x"], ["x"]]);
    assert.equal(endpoint.requests.length, 1);
  });

  it("keeps at most maxInFlight requests open at once", async () => {
    const endpoint = await start(() => ({ json: [], delayMs: 15 }));
    const source = httpSource({ template: `${endpoint.url}/s?v={viewer}`, maxInFlight: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => source.suggest(`v${i}`, "accounts", context)));
    assert.equal(endpoint.requests.length, 12);
    assert.ok(endpoint.maxInFlight <= 3, `at most 3 at once, saw ${endpoint.maxInFlight}`);
    assert.ok(endpoint.maxInFlight >= 2, "and it does run requests side by side");
  });

  it("gives a clear error for a slow endpoint, a malformed answer, an HTTP error and one that is not running", async () => {
    const answers: Record<string, EndpointAnswer> = {
      slow: { json: ["a"], delayMs: 30_000 },
      html: { raw: "<html>Oops</html>" },
      object: { json: { results: ["a"] } },
      bad: { json: ["a", { name: "no id" }] },
      error: { status: 500, json: { message: "recommender down" } },
    };
    const endpoint = await start(({ url }) => answers[url.searchParams.get("v")!]!);
    const source = httpSource({ template: `${endpoint.url}/s?v={viewer}`, timeoutMs: 300 });
    await assert.rejects(source.suggest("slow", "accounts", context), sourceFailure(/did not answer within 300 ms; raise --timeout-ms/));
    await assert.rejects(source.suggest("html", "accounts", context), sourceFailure(/answered something that is not JSON: <html>Oops/));
    await assert.rejects(source.suggest("object", "accounts", context), sourceFailure(/expected a JSON array of ids or \{"candidates"/));
    await assert.rejects(source.suggest("bad", "accounts", context), sourceFailure(/not an id at index 1/));
    await assert.rejects(source.suggest("error", "accounts", context), sourceFailure(/answered HTTP 500: .*recommender down/));

    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const gone = httpSource({ template: `http://127.0.0.1:${closedPort}/s?v={viewer}` });
    await assert.rejects(gone.suggest("v", "accounts", context), sourceFailure(/Could not reach the suggestion endpoint at .*ECONNREFUSED.*is it running/i));
  });

  it("refuses a template without {viewer}, with an unknown placeholder, or not http", () => {
    const usage = (pointer: string) => (e: unknown) => isLapwingError(e) && e.code === "VALIDATION_FAILED" && e.pointer === pointer;
    assert.throws(() => httpSource({ template: "http://127.0.0.1:1/s" }), usage("/endpoint"));
    assert.throws(() => httpSource({ template: "http://127.0.0.1:1/s?v={viewer}&u={user}" }), (e) => usage("/endpoint")(e) && /\{user\}/.test((e as Error).message));
    assert.throws(() => httpSource({ template: "file:///etc/{viewer}" }), usage("/endpoint"));
  });

  it("calls a Lapwing guard with the key, and explains a refusal", async () => {
    const endpoint = await start(({ headers, body, url }) => {
      if (headers.authorization !== "Bearer lw_good") return { status: 401, json: { error: { code: "UNAUTHENTICATED", message: "No valid API key." } } };
      const request = JSON.parse(body) as { viewer: string; surface: string; candidates: string[] };
      assert.equal(url.pathname, "/v1/recommendations/filter");
      return { json: { viewer: request.viewer, kept: request.candidates.filter((c) => c !== "n1"), removed: [{ id: "n1", reason: "network" }] } };
    });
    const { guard, description } = httpGuard({ url: `${endpoint.url}/`, apiKey: "lw_good" });
    assert.deepEqual(await guard("teen1", "accounts", ["a", "n1", "b"]), { kept: ["a", "b"], removed: [{ id: "n1", reason: "network" }] });
    assert.deepEqual(JSON.parse(endpoint.requests[0]!.body), { viewer: "teen1", surface: "accounts", candidates: ["a", "n1", "b"] });
    assert.equal(description, `Lapwing guard at ${endpoint.url}/v1/recommendations/filter`);

    const refused = httpGuard({ url: endpoint.url, apiKey: "lw_wrong" }).guard;
    await assert.rejects(refused("t", "accounts", ["a"]), sourceFailure(/answered HTTP 401: .*UNAUTHENTICATED/));
    const notLapwing = await start(() => ({ json: { ok: true } }));
    await assert.rejects(httpGuard({ url: notLapwing.url, apiKey: "k" }).guard("t", "accounts", ["a"]), sourceFailure(/without a "kept" list/));
  });
});
