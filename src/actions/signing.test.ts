import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { signWebhook, verifyWebhook } from "./signing.js";

const secret = "s".repeat(32);
const body = '{"id":"01ACTION","kind":"content.hold"}';
const t = 1_767_225_600;

describe("webhook signatures", () => {
  it("verifies its own signature, and a known vector computed independently", () => {
    const header = signWebhook(secret, body, t);
    assert.equal(verifyWebhook(secret, body, header, { nowSeconds: t }), true);
    // Computed with: printf '%s' "1767225600.$BODY" | openssl dgst -sha256 -hmac "$SECRET"
    assert.equal(header, "t=1767225600,v1=3ca843fc41b899f8508e4e375d83fc8ceae556a5ec5f08d09b58af67568db8aa");
  });

  it("refuses a changed body, a wrong secret, a stale or future timestamp, and malformed headers", () => {
    const header = signWebhook(secret, body, t);
    assert.equal(verifyWebhook(secret, body.replace("hold", "block"), header, { nowSeconds: t }), false);
    assert.equal(verifyWebhook("x".repeat(32), body, header, { nowSeconds: t }), false);
    assert.equal(verifyWebhook(secret, body, header, { nowSeconds: t + 301 }), false);
    assert.equal(verifyWebhook(secret, body, header, { nowSeconds: t - 301 }), false);
    assert.equal(verifyWebhook(secret, body, header, { nowSeconds: t + 300 }), true);
    for (const bad of [undefined, "", "v1=abc", `t=${t}`, `t=abc,v1=${"0".repeat(64)}`, `t=${t},v1=${"0".repeat(63)}`, `t=${t},v1=é`]) {
      assert.equal(verifyWebhook(secret, body, bad, { nowSeconds: t }), false, String(bad));
    }
  });

  it("accepts any of several v1 values, so a secret can be rotated", () => {
    const current = signWebhook(secret, body, t).split(",")[1]!;
    assert.equal(verifyWebhook(secret, body, `t=${t},v1=${"0".repeat(64)},${current}`, { nowSeconds: t }), true);
  });
});

describe("the verification snippets in docs/actions.md", () => {
  const doc = readFileSync(new URL("../../docs/actions.md", import.meta.url), "utf8");
  const now = Math.floor(Date.now() / 1000);
  const header = signWebhook(secret, body, now);

  it("the Node.js snippet accepts a real signature and refuses a tampered body", async () => {
    const js = /```js\n([\s\S]*?)```/.exec(doc)![1]!;
    const dir = mkdtempSync(join(tmpdir(), "lapwing-snippet-"));
    try {
      const file = join(dir, "verify.mjs");
      writeFileSync(file, `${js}\nexport { isFromLapwing };\n`);
      const { isFromLapwing } = (await import(pathToFileURL(file).href)) as { isFromLapwing: (s: string, b: string, h: string) => boolean };
      assert.equal(isFromLapwing(secret, body, header), true);
      assert.equal(isFromLapwing(secret, body + " ", header), false);
      assert.equal(isFromLapwing(secret, body, signWebhook(secret, body, now - 3600)), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the Python snippet does the same", () => {
    const py = /```python\n([\s\S]*?)```/.exec(doc)![1]!;
    const check = (b: string, h: string) =>
      spawnSync("python3", ["-c", `${py}\nimport sys\nprint(is_from_lapwing(sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3]))`, secret, b, h], { encoding: "utf8" });
    const good = check(body, header);
    assert.equal(good.status, 0, good.stderr);
    assert.equal(good.stdout.trim(), "True");
    assert.equal(check(body + " ", header).stdout.trim(), "False");
  });
});
