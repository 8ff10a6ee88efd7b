import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LapwingError } from "../errors/index.js";
import { loadConfig } from "./load.js";

describe("loadConfig", () => {
  it("layers defaults, the config file, the environment and overrides", () => {
    const dir = mkdtempSync(join(tmpdir(), "lapwing-config-"));
    const file = join(dir, "lapwing.json");
    writeFileSync(file, JSON.stringify({ port: 9000, maxPixels: 1000, host: "0.0.0.0" }));
    const config = loadConfig({ env: { LAPWING_CONFIG: file, LAPWING_PORT: "9100", LAPWING_PDQ_MODE: "reference" }, overrides: { host: "127.0.0.2" } });
    assert.equal(config.port, 9100, "environment beats the file");
    assert.equal(config.maxPixels, 1000, "the file beats defaults");
    assert.equal(config.host, "127.0.0.2", "overrides beat everything");
    assert.equal(config.pdqMode, "reference");
    assert.equal(config.databaseUrl, "sqlite:./data/lapwing.sqlite");
    assert.ok(Object.isFrozen(config));
  });

  it("reports every bad setting at once, naming its variable", () => {
    assert.throws(
      () => loadConfig({ env: { LAPWING_PORT: "http", LAPWING_PDQ_MODE: "fast" } }),
      (e: unknown) => e instanceof LapwingError && e.code === "CONFIG_INVALID" && /LAPWING_PORT/.test(e.message) && /LAPWING_PDQ_MODE/.test(e.message),
    );
  });

  it("rejects an unreadable, non-JSON or unknown-key config file", () => {
    const dir = mkdtempSync(join(tmpdir(), "lapwing-config-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{port: 1");
    assert.throws(() => loadConfig({ env: { LAPWING_CONFIG: bad } }), /not valid JSON/);
    writeFileSync(bad, JSON.stringify({ prot: 1 }));
    assert.throws(() => loadConfig({ env: { LAPWING_CONFIG: bad } }), /unknown settings: prot/);
    assert.throws(() => loadConfig({ env: { LAPWING_CONFIG: join(dir, "missing.json") } }), /Cannot read/);
  });

  it("refuses media fetch hosts it could not honour: wildcards, schemes, ports, paths", () => {
    for (const hosts of ["*", "*.example.org", "https://media.example.org", "media.example.org:8443", "media.example.org/path", "a b"]) {
      assert.throws(
        () => loadConfig({ env: { LAPWING_MEDIA_FETCH_HOSTS: `cdn.example.org,${hosts}` } }),
        (e: unknown) => e instanceof LapwingError && e.code === "CONFIG_INVALID" && /LAPWING_MEDIA_FETCH_HOSTS/.test(e.message) && e.message.includes(JSON.stringify(hosts)),
        hosts,
      );
    }
    assert.equal(loadConfig({ env: { LAPWING_MEDIA_FETCH_HOSTS: "media.example.org, cdn-2.example.org." } }).mediaFetchHosts, "media.example.org, cdn-2.example.org.");
  });
});
