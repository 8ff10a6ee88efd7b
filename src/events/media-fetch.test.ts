import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { createMediaFetcher, isForbiddenAddress, parseHostList } from "./media-fetch.js";

describe("media fetching", () => {
  let server: http.Server;
  let port = 0;
  const resolvedBy = (address: string) => async () => [{ address, family: address.includes(":") ? 6 : 4 }];

  before(async () => {
    server = http.createServer((request, response) => {
      if (request.url === "/ok.png") return response.end(Buffer.alloc(1000, 7));
      if (request.url === "/big.png") return response.end(Buffer.alloc(5000, 7));
      if (request.url === "/stream.png") {
        // No content-length: the limit must hold while reading.
        response.write(Buffer.alloc(3000, 1));
        return response.end(Buffer.alloc(3000, 1));
      }
      if (request.url === "/redirect") {
        response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" });
        return response.end();
      }
      if (request.url === "/slow") return void setTimeout(() => response.end("late"), 2000);
      response.writeHead(404).end();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it("classifies private, loopback, link-local and mapped addresses as forbidden", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "not-an-ip"]) {
      assert.equal(isForbiddenAddress(address), true, address);
    }
    for (const address of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) assert.equal(isForbiddenAddress(address), false, address);
    assert.deepEqual(parseHostList(" Media.Example. , ,cdn.example"), ["media.example", "cdn.example"]);
  });

  it("fetches nothing from hosts not on the list, or with other schemes or credentials", async () => {
    const fetcher = createMediaFetcher({ allowedHosts: ["media.example"], resolve: resolvedBy("8.8.8.8") });
    for (const url of ["https://other.example/a.png", "https://media.example.evil.example/a.png", "https://evilmedia.example/a.png", "ftp://media.example/a.png", "https://user:pw@media.example/a.png"]) {
      const result = await fetcher.fetchMedia(url);
      assert.deepEqual([result.ok, !result.ok && result.reason], [false, "host_not_allowed"], url);
    }
    assert.equal((await fetcher.fetchMedia("not a url")).ok, false);
  });

  it("refuses an allowed host that resolves to a private or loopback address", async () => {
    for (const address of ["127.0.0.1", "10.0.0.5", "169.254.169.254", "::1", "::ffff:192.168.0.1"]) {
      const fetcher = createMediaFetcher({ allowedHosts: ["media.example"], resolve: resolvedBy(address) });
      const result = await fetcher.fetchMedia("http://media.example/a.png");
      assert.equal(result.ok, false, address);
      assert.match(!result.ok ? result.message : "", /private or reserved address/);
    }
    const literal = createMediaFetcher({ allowedHosts: ["127.0.0.1"] });
    assert.equal((await literal.fetchMedia(`http://127.0.0.1:${port}/ok.png`)).ok, false, "an allowlisted loopback literal is still refused");
  });

  it("fetches from an allowed host (pinned to the checked address), within byte and time limits, without following redirects", async () => {
    // media.example resolves (in this test) to the local server; private addresses allowed for tests only.
    const fetcher = createMediaFetcher({ allowedHosts: ["media.example"], resolve: resolvedBy("127.0.0.1"), allowPrivateAddresses: true, maxBytes: 4000, timeoutMs: 500 });
    const ok = await fetcher.fetchMedia(`http://media.example:${port}/ok.png`);
    assert.ok(ok.ok && ok.bytes.length === 1000);
    const big = await fetcher.fetchMedia(`http://media.example:${port}/big.png`);
    assert.match(!big.ok ? big.message : "", /over the 4000-byte limit/);
    const streamed = await fetcher.fetchMedia(`http://media.example:${port}/stream.png`);
    assert.match(!streamed.ok ? streamed.message : "", /over the 4000-byte limit/);
    const redirect = await fetcher.fetchMedia(`http://media.example:${port}/redirect`);
    assert.match(!redirect.ok ? redirect.message : "", /HTTP 302 \(redirects are not followed\)/);
    const slow = await fetcher.fetchMedia(`http://media.example:${port}/slow`);
    assert.match(!slow.ok ? slow.message : "", /longer than 500 ms/);
    const missing = await fetcher.fetchMedia(`http://media.example:${port}/missing`);
    assert.match(!missing.ok ? missing.message : "", /HTTP 404/);
  });
});
