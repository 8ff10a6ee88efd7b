// THE DEMO, THE DASHBOARD AND THE ADMIN SCREENS IN A REAL BROWSER: `npm run
// demo` on a temporary database and a free port, exactly as a newcomer runs
// it; Chromium opens the printed URL, the printed moderator sees a queue, the
// printed admin sees the dashboard's charts and every admin screen. A policy
// set with an error is refused with its message at its line (and nothing is
// stored). Screenshots of the dashboard and the admin screens go to
// docs/screenshots/.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { browserUnavailable, launchChromium } from "../support/browser.js";
import { waitFor } from "../support/cli.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const screenshots = join(root, "docs", "screenshots");
const waitMs = 30_000;

describe("the demo, the dashboard and the admin screens in Chromium", { skip: browserUnavailable }, () => {
  let dir: string;
  let demo: ChildProcess | undefined;
  let exited: Promise<number | null>;
  let url = "";
  const passwords = new Map<string, string>();
  let browser: Browser;

  const logIn = async (role: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(waitMs);
    await page.goto(url + "/");
    await page.getByLabel("Username").fill(`demo-${role.replace(/_/g, "-")}`);
    await page.getByLabel("Password").fill(passwords.get(role)!);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByTestId("who").waitFor();
    return page;
  };
  const shoot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  before(async () => {
    // The console as `npm install` builds it, from the sources under test.
    const build = spawnSync(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "build", "console", "--logLevel", "error"], { cwd: root, encoding: "utf8" });
    assert.equal(build.status, 0, `the console builds: ${build.stderr}`);
    dir = await mkdtemp(join(tmpdir(), "lapwing-demo-browser-"));
    demo = spawn("npm", ["run", "demo", "--silent"], {
      cwd: root,
      env: { ...process.env, LAPWING_DATABASE_URL: `sqlite:${join(dir, "demo.sqlite")}`, LAPWING_PORT: "0", LAPWING_LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    exited = new Promise((resolve) => demo!.on("exit", (code) => resolve(code)));
    let stdout = "";
    let stderr = "";
    demo.stdout!.on("data", (d) => (stdout += d));
    demo.stderr!.on("data", (d) => (stderr += d));
    await waitFor(
      "the demo's URL and users",
      async () => {
        if (demo!.exitCode !== null) throw new Error(`the demo exited with ${demo!.exitCode}:\n${stderr}`);
        const users = [...stdout.matchAll(/^demo user: \S+ role: (\S+) password: (\S+)$/gm)];
        return users.length === 4 ? users : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 200 },
    ).then((users) => users.forEach(([, role, password]) => passwords.set(role!, password!)));
    url = /Open the console: (http:\/\/\S+?)\/?$/m.exec(stdout)![1]!;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (demo && demo.exitCode === null) {
      process.kill(-demo.pid!, "SIGTERM");
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("opens the demo's URL and shows the printed moderator a queue", async () => {
    const page = await logIn("moderator");
    await page.getByTestId("queue-row").first().waitFor();
    assert.ok((await page.getByTestId("queue-row").count()) > 0);
    await page.context().close();
  });

  it("shows the dashboard's figures and charts", async () => {
    const page = await logIn("admin");
    await page.getByRole("link", { name: "Dashboard" }).click();
    await page.getByTestId("backlog").waitFor();
    await page.locator('[data-testid="chart-time-to-action"] canvas').waitFor();
    const total = await page.getByTestId("backlog").locator("tbody tr td:nth-child(5)").allTextContents();
    assert.ok(total.map(Number).reduce((a, b) => a + b, 0) > 0, "the demo's backlog is counted");
    assert.match((await page.getByTestId("shadow-hits").textContent()) ?? "", /ban-evasion-hold/, "the default set's shadow policy has hits");
    await shoot(page, "dashboard");
    await page.context().close();
  });

  it("refuses a policy set with an error, with its message at its line, and stores nothing", async () => {
    const page = await logIn("admin");
    await page.goto(url + "/admin/policies");
    const editor = page.getByTestId("policy-text");
    await page.getByTestId("policy-hits").locator("tbody tr").first().waitFor();
    await waitFor("the active set in the editor", async () => ((await editor.inputValue()).includes('"policies"') ? true : undefined), { timeoutMs: waitMs });
    const before = await editor.inputValue();
    // A typo in the first field test of the set: the server names the field and the editor its line.
    const broken = before.replace('"field": "category"', '"field": "categroy"');
    assert.notEqual(broken, before, "the active set tests a category field");
    await editor.fill(broken);
    await page.getByTestId("policy-save").click();
    const problem = page.getByTestId("policy-problem");
    await problem.waitFor();
    const line = broken.split("\n").findIndex((l) => l.includes('"categroy"')) + 1;
    assert.match((await problem.textContent()) ?? "", new RegExp(`^Line ${line}, column \\d+ /policies/\\d+/when/.*field: .*no field "categroy"`));
    assert.equal(await page.locator(".editor .gutter .bad").textContent(), String(line), "the gutter marks the line");
    await shoot(page, "admin-policies");
    const versions = await page.evaluate(async () => (await (await fetch("/v1/policies")).json()).version);
    assert.equal(versions, 0, "the built-in set is still active: nothing was stored");
    await page.context().close();
  });

  it("shows the banks (with an entry search), lexicons (a text tested live), keys, users, webhooks and the audit log with its chain verified", async () => {
    const page = await logIn("admin");
    await page.getByRole("link", { name: "Admin" }).click();
    await page.getByTestId("banks").locator("tbody tr").first().waitFor();
    await page.getByTestId("entries-bank").selectOption("demo-known-media");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByTestId("bank-entries").locator("tbody tr").first().waitFor();
    assert.ok((await page.getByTestId("bank-entries").locator("tbody tr").count()) > 1);
    await shoot(page, "admin-banks");

    await page.getByRole("link", { name: "Lexicons" }).click();
    await page.getByTestId("lexicon-name").selectOption("scenario-stand-ins");
    await page.getByTestId("lexicon-text").fill("new menu: vornaxle, ask me");
    await page.getByTestId("lexicon-highlight").locator("mark").waitFor();
    assert.equal(await page.getByTestId("lexicon-highlight").locator("mark").first().textContent(), "vornaxle");
    await page.getByTestId("lexicon-try").click();
    await page.getByTestId("lexicon-report").waitFor();
    await shoot(page, "admin-lexicons");

    for (const [tab, testId, name] of [
      ["API keys", "keys", "admin-keys"],
      ["Users and roles", "users", "admin-users"],
      ["Webhooks", "dead-letters", "admin-webhooks"],
    ] as const) {
      await page.getByRole("link", { name: tab }).click();
      await page.getByTestId(testId).locator("tbody tr").first().waitFor();
      if (testId === "users") assert.equal(await page.getByTestId("users").locator("tbody tr").count(), 4, "the demo's four users");
      await shoot(page, name);
    }

    await page.getByRole("link", { name: "Audit log" }).click();
    await page.locator(".verify-ok").waitFor();
    await page.getByTestId("audit-entries").locator("tbody tr").first().waitFor();
    await shoot(page, "admin-audit");
    await page.context().close();
  });
});
