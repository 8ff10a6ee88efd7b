// The API document and its rendered reference need no key (they hold no
// secrets), and the reference page renders the document with its own inline
// script, which the page's Content-Security-Policy allows by hash (no CDN).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { runInNewContext } from "node:vm";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../support/server.js";

describe("API reference without a key", () => {
  let server: TestServer;
  before(async () => {
    const started = await startTestServer("sqlite");
    if (typeof started === "string") throw new Error(started);
    server = started;
  });
  after(() => server?.close());

  it("serves /openapi.json and a /docs page that renders it", async () => {
    const documentResponse = await server.request("/openapi.json", { key: null });
    assert.equal(documentResponse.status, 200);
    const openapi = (await documentResponse.json()) as { paths: Record<string, unknown> };
    assert.ok(Object.keys(openapi.paths).includes("/v1/media/check"));

    const page = await server.request("/docs", { key: null });
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    const html = await page.text();
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? "";
    const csp = page.headers.get("content-security-policy") ?? "";
    assert.ok(csp.includes(`'sha256-${createHash("sha256").update(script).digest("base64")}'`), "the inline script is allowed by the page's CSP");
    assert.ok(!/https?:\/\/(?!127\.0\.0\.1)/.test(html), "nothing is loaded from another site");

    // Run the page's script against the served document, as a browser would.
    const api = { innerHTML: "", textContent: "" };
    const fetched: string[] = [];
    await new Promise<void>((resolve, reject) => {
      runInNewContext(script, {
        document: { getElementById: () => api },
        fetch: (path: string) => {
          fetched.push(path);
          return Promise.resolve({ json: () => Promise.resolve(openapi) });
        },
      });
      setTimeout(() => (api.innerHTML ? resolve() : reject(new Error(`nothing rendered: ${api.textContent}`))), 200);
    });
    assert.deepEqual(fetched, ["openapi.json"]);
    assert.match(api.innerHTML, /<code>\/v1\/media\/check<\/code>/);
    assert.match(api.innerHTML, /no key needed/);
  });
});
