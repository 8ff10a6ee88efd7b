// THE REVIEW CONSOLE IN A REAL BROWSER: Debian's Chromium (playwright-core)
// against a real `lapwing serve` child process on a fresh SQLite database,
// seeded with synthetic data through the API. A moderator logs in, claims the
// next case, sees media blurred and greyscale, reveals one item (audited),
// confirms a case (the platform's webhook receiver gets the removal), cannot
// open a restricted case by any route, and works three cases by keyboard
// alone. Screenshots of the main screens go to docs/screenshots/ (README).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { browserUnavailable, launchChromium } from "../support/browser.js";
import { runLapwing, startServeProcess, waitFor } from "../support/cli.js";
import { seedConsoleNetwork, seedConsolePlatform, seededAccounts, seedPassword } from "../support/console-seed.js";
import { syntheticPng } from "../support/images.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const screenshots = join(root, "docs", "screenshots");
const secret = "synthetic-webhook-secret-for-the-console-0123";
const waitMs = 30_000;

// Functions run in the page; the tests' tsconfig has no DOM types, so the little they touch is typed here.
type PageGlobal = { getComputedStyle(element: unknown): { filter: string } };
// Serialised into the page: they may use only their arguments and the page's globals.
const cssFilter = (element: unknown) => (globalThis as unknown as PageGlobal).getComputedStyle(element).filter;

interface CaseSummary {
  id: string;
  accountId: string;
  state: string;
  outcome: string | null;
  reportRequested: boolean;
  escalated: boolean;
}

describe("the review console in Chromium", { skip: browserUnavailable }, () => {
  let dir: string;
  let server: { url: string; stop(): Promise<void> } | undefined;
  let receiver: WebhookReceiver;
  let images: Server;
  let browser: Browser;
  let adminKey: string;
  let previewsServed = false;
  let revealsServed = false;
  const contexts: BrowserContext[] = [];

  const api = (path: string, init: RequestInit & { json?: unknown; cookie?: string; csrf?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) {
      headers.set("cookie", init.cookie);
      if (init.csrf) headers.set("x-csrf-token", init.csrf);
    } else headers.set("authorization", `Bearer ${adminKey}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    return fetch(server!.url + path, { ...init, headers, body });
  };
  /** A console session over plain HTTP, to check what the server says beside what the page shows. */
  const sessionOf = async (username: string) => {
    const res = await api("/v1/session", { method: "POST", json: { username, password: seedPassword }, cookie: "none" });
    assert.equal(res.status, 200);
    return { cookie: res.headers.getSetCookie()[0]!.split(";")[0]!, csrf: (await res.json()).csrfToken as string };
  };
  const casesOf = async (username: string, query = ""): Promise<CaseSummary[]> => {
    const session = await sessionOf(username);
    return (await (await api(`/v1/cases${query}`, session)).json()).cases;
  };

  /** A new browser page, logged in through the login form. */
  const logIn = async (username: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(waitMs);
    await page.goto(server!.url + "/");
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(seedPassword);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByTestId("who").waitFor();
    return page;
  };
  const shoot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `${name}.png`) });

  before(async () => {
    // The console as `npm install` builds it, from the sources under test.
    const build = spawnSync(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "build", "console", "--logLevel", "error"], { cwd: root, encoding: "utf8" });
    assert.equal(build.status, 0, `the console builds: ${build.stderr}`);

    dir = await mkdtemp(join(tmpdir(), "lapwing-console-browser-"));
    const database = `sqlite:${join(dir, "console.sqlite")}`;
    receiver = await startWebhookReceiver({ secret });
    // The platform's preview source: a synthetic PNG for every seeded media id, 404 for anything else.
    const png = await syntheticPng(320, 240, 7);
    images = createServer((request, response) => {
      const isKnown = /^\/media\/media-[\w-]+$/.test(request.url ?? "");
      response.writeHead(isKnown ? 200 : 404, { "content-type": isKnown ? "image/png" : "text/plain" }).end(isKnown ? png : "no such media");
    });
    await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
    const imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;

    const key = await runLapwing(["--database", database, "keys", "create", "--name", "console-seed", "--scope", "admin", "--json"]);
    assert.equal(key.code, 0, key.stderr);
    adminKey = JSON.parse(key.stdout).secret;
    server = await startServeProcess(database, {
      LAPWING_WEBHOOK_URL: receiver.url,
      LAPWING_WEBHOOK_SECRET: secret,
      LAPWING_WORKER_POLL_MS: "50",
      LAPWING_DEFAULT_LEXICON: "false",
      LAPWING_MEDIA_PREVIEW_URL: `${imagesUrl}/media/{contentId}`,
      LAPWING_MEDIA_PREVIEW_PRIVATE_ADDRESSES: "true",
    });
    await seedConsolePlatform(api);
    await waitFor("the seeded cases", async () => ((await casesOf("cleo")).length >= 7 ? true : undefined), { timeoutMs: waitMs, intervalMs: 200 });
    await seedConsoleNetwork(api);

    const doc = (await (await api("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    previewsServed = Boolean(doc.paths["/v1/media/preview/{contentId}"]?.get && doc.paths["/v1/cases/{id}/content"]?.get);
    revealsServed = Boolean(doc.paths["/v1/console/reveals"]?.post);
    browser = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    await receiver?.close();
    await new Promise((resolve) => images?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("logs a moderator in (a wrong password is refused with a message) and shows the queue", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(waitMs);
    await page.goto(server!.url + "/");
    await page.getByLabel("Username").fill("mo");
    await page.getByLabel("Password").fill("not the password");
    await shoot(page, "login");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("alert").filter({ hasText: /user name or password|username or password|wrong|failed/i }).waitFor();

    const mo = await logIn("mo");
    await mo.getByTestId("queue-table").waitFor();
    assert.match(await mo.getByTestId("who").innerText(), /mo \(moderator\)/);
    const rows = await mo.getByTestId("queue-row").count();
    assert.equal(rows, (await casesOf("mo")).length, "the page lists the cases the API gives the moderator");
    assert.match(await mo.getByTestId("queue-counts").innerText(), new RegExp(`${rows} cases`));
    assert.equal(await mo.getByRole("link", { name: "Network" }).count(), 0, "no network screen for a moderator");
    await shoot(mo, "queue");

    await mo.getByTestId("logout").click();
    await mo.getByRole("button", { name: "Log in" }).waitFor();
    assert.equal((await mo.request.get(server!.url + "/v1/session")).status(), 401, "the session is gone");
  });

  it("warns before the session ends, counting down, and asks to log in again once it has", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(waitMs);
    // The page's clock, moved on by the test: the warning is computed from the session's expiresAt.
    await page.clock.install();
    await page.goto(server!.url + "/");
    await page.getByLabel("Username").fill("vic");
    await page.getByLabel("Password").fill(seedPassword);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByTestId("who").waitFor();
    assert.equal(await page.getByTestId("session-expiry").count(), 0, "no warning at the start");
    const { expiresAt } = await (await page.request.get(server!.url + "/v1/session")).json();
    const now = await page.evaluate(() => Date.now());
    await page.clock.fastForward(Date.parse(expiresAt) - now - 4 * 60_000);
    await page.getByTestId("session-expiry").waitFor();
    assert.match(await page.getByTestId("session-expiry").innerText(), /Your session ends in [34] min/);
    await page.clock.fastForward(5 * 60_000);
    await page.getByTestId("session-expiry").filter({ hasText: "Your session has ended" }).waitFor();
  });

  it("claims the next case exclusively and shows when the claim ends", async () => {
    const page = await logIn("mo");
    await page.getByTestId("claim-next").click();
    await page.getByTestId("case-screen").waitFor();
    const caseId = await page.getByTestId("case-screen").getAttribute("data-case-id");
    assert.match(await page.getByTestId("claim-expiry").innerText(), /your claim ends in \d+ min/);
    const held = (await casesOf("ada", "?assignee=none")).map((c) => c.id);
    assert.ok(!held.includes(caseId!), "the claimed case is no longer free");
    // Another reviewer's "claim next" gets a different case.
    const other = await sessionOf("ada");
    const next = (await (await api("/v1/cases/next", { method: "POST", json: {}, ...other })).json()).case as CaseSummary;
    assert.notEqual(next.id, caseId);
    await api(`/v1/cases/${next.id}/release`, { method: "POST", ...other });
    await shoot(page, "case");
    await page.getByTestId("release").click();
    await page.getByTestId("claim").waitFor();
  });

  it("shows a case's media blurred and greyscale until revealed", async (t) => {
    if (!previewsServed) return t.skip("TODO(lead): needs GET /v1/cases/{id}/content and GET /v1/media/preview/{contentId} (the console API branch)");
    const page = await logIn("mo");
    const [poster] = await casesOf("mo", `?account=${seededAccounts.posters[0]}`);
    await page.goto(`${server!.url}/cases/${poster!.id}`);
    const preview = page.getByTestId("media-preview").first();
    await preview.scrollIntoViewIfNeeded();
    await waitFor("the preview to load", async () => ((await preview.evaluate((img) => (img as { complete: boolean; naturalWidth: number }).complete && (img as { naturalWidth: number }).naturalWidth > 0)) ? true : undefined), { timeoutMs: waitMs });
    const filter = await preview.evaluate(cssFilter);
    assert.match(filter, /blur\(\d+px\)/, "blurred");
    assert.match(filter, /grayscale\(1\)/, "greyscale");
    await shoot(page, "media");
  });

  it("reveals one item on a deliberate action, records it in the audit log, and blurs it again on leaving", async (t) => {
    if (!previewsServed || !revealsServed) return t.skip("TODO(lead): needs POST /v1/console/reveals and the preview endpoints (the console API branch)");
    const page = await logIn("mo");
    const [poster] = await casesOf("mo", `?account=${seededAccounts.posters[1]}`);
    await page.goto(`${server!.url}/cases/${poster!.id}`);
    const item = page.getByTestId("media-item").first();
    await item.getByTestId("reveal").click();
    await page.locator('[data-testid="media-item"][data-revealed="true"]').waitFor();
    const filter = await item.getByTestId("media-preview").evaluate(cssFilter);
    assert.doesNotMatch(filter, /blur/, "revealed: no blur");
    const audit = (await (await api("/v1/audit?action=media.reveal&limit=100")).json()).entries as Array<{ actor: string; details: { caseId?: string; contentId?: string } }>;
    assert.ok(audit.some((e) => e.details.caseId === poster!.id && e.details.contentId === "media-2"), "the reveal is in the audit log");
    // Leaving the item blurs it again.
    await page.mouse.move(5, 5);
    await page.locator('[data-testid="media-item"][data-revealed="false"]').first().waitFor();
    assert.match(await item.getByTestId("media-preview").evaluate(cssFilter), /blur/);
  });

  it("confirms a case, and the platform's webhook receiver gets the removal", async () => {
    const page = await logIn("mo");
    const [poster] = await casesOf("mo", `?account=${seededAccounts.posters[2]}`);
    await page.goto(`${server!.url}/cases/${poster!.id}`);
    await page.getByTestId("decide-confirm").click();
    const dialog = page.getByTestId("confirm-dialog");
    await dialog.waitFor();
    assert.equal(await page.getByTestId("confirm-category").inputValue(), "seller_advert", "the signals suggest the category");
    assert.equal(await page.getByTestId("confirm-classification").count(), poster!.reportRequested ? 1 : 0, "the classification is asked only where a report may be filed");
    await page.getByTestId("confirm-dialog-ok").click();
    await page.getByTestId("case-decided").waitFor();
    assert.match(await page.getByTestId("case-message").innerText(), /Decided: confirm \(seller_advert\), 1 action sent/);
    const removal = await waitFor(
      "the removal webhook",
      async () => receiver.deliveries.find((d) => d.verified && d.action?.kind === "content.remove" && d.action.target.id === "post-3"),
      { timeoutMs: waitMs, intervalMs: 100 },
    );
    assert.equal(removal.action!.accountId, seededAccounts.posters[2]);
  });

  it("never shows a moderator a restricted case, in the queue or by its URL; a child-safety reviewer sees it and its clock", async () => {
    const [restricted] = await casesOf("cleo", "?restricted=true");
    assert.ok(restricted, "the seed opened a restricted case");
    const mo = await logIn("mo");
    await mo.getByTestId("queue-table").waitFor();
    assert.equal(await mo.getByTestId("queue-row").filter({ hasText: seededAccounts.hasher }).count(), 0);
    await mo.goto(`${server!.url}/cases/${restricted.id}`);
    await mo.getByTestId("case-missing").waitFor();
    assert.match(await mo.getByTestId("case-missing").innerText(), /No such case/);
    assert.equal(await mo.getByText(seededAccounts.hasher).count(), 0, "nothing of it shows");

    const cleo = await logIn("cleo");
    await cleo.goto(`${server!.url}/cases/${restricted.id}`);
    await cleo.getByTestId("case-screen").waitFor();
    await cleo.getByTestId("restricted-timer").waitFor();
    assert.match(await cleo.getByTestId("restricted-timer").innerText(), /Restricted work: \d+ s/);
    const signal = cleo.locator('[data-testid="signal"][data-signal-type="hash-match"]');
    assert.match(await signal.innerText(), /synthetic-csam/);
  });

  it("works three cases by keyboard alone", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(waitMs);
    await page.goto(server!.url + "/");
    // The login form puts the cursor in the username field itself.
    await page.locator("input[name=username]:focus").waitFor();
    await page.keyboard.type("ada");
    await page.keyboard.press("Tab");
    await page.keyboard.type(seedPassword);
    await page.keyboard.press("Enter");
    await page.getByTestId("queue-table").waitFor();
    assert.match(await page.getByTestId("shortcut-bar").innerText(), /claim next case/);

    const decided: string[] = [];
    const steps: Array<{ keys: string[]; expect: RegExp }> = [
      { keys: ["d"], expect: /Decided: dismiss/ },
      { keys: ["c", "Enter"], expect: /Decided: confirm/ },
      { keys: ["s", "Enter"], expect: /Decided: safeguard/ },
    ];
    const caseOnScreen = () => page.getByTestId("case-screen").getAttribute("data-case-id", { timeout: 1000 }).catch(() => null);
    for (const step of steps) {
      const before = await caseOnScreen();
      await page.keyboard.press("n");
      // "n" claims the next case and opens it: wait for a case other than the one on screen.
      const id = await waitFor("the next case", async () => {
        const now = await caseOnScreen();
        return now && now !== before ? now : undefined;
      }, { timeoutMs: waitMs, intervalMs: 100 });
      assert.ok(!decided.includes(id), "a new case each time");
      assert.match(await page.getByTestId("shortcut-bar").innerText(), /confirm/);
      for (const key of step.keys) {
        if (key === "Enter") await page.getByTestId("confirm-dialog").waitFor();
        await page.keyboard.press(key);
      }
      await page.getByTestId("case-decided").waitFor();
      assert.match(await page.getByTestId("case-message").innerText(), step.expect);
      decided.push(id);
    }
    const ada = await sessionOf("ada");
    for (const id of decided) {
      const detail = await (await api(`/v1/cases/${id}`, ada)).json();
      assert.equal(detail.state, "decided", `case ${id} was decided`);
    }
    await page.keyboard.press("?");
    await page.getByRole("heading", { name: "Keyboard shortcuts" }).waitFor();
    await shoot(page, "shortcuts");
  });

  it("draws a child-safety reviewer the network around an account, with why each tie is there", async () => {
    const page = await logIn("cleo");
    await page.goto(`${server!.url}/network/${seededAccounts.bioSeller}`);
    const graph = page.getByTestId("network-graph");
    await graph.waitFor();
    await graph.locator("canvas").first().waitFor();
    const label = (await graph.getAttribute("aria-label")) ?? "";
    const [, accounts] = /: (\d+) accounts/.exec(label) ?? [];
    assert.ok(Number(accounts) >= 5, `the seller, the posters and the buyer are drawn (${label})`);
    assert.match(await page.getByTestId("network-why").innerText(), /\S/);
    await page.getByTestId("clusters").waitFor();
    await shoot(page, "network");
  });

  it("shows a child-safety reviewer the CyberTipline report a confirmation opens, on the case and on the Reports screen; a moderator never asks for reports", async () => {
    const [restricted] = await casesOf("cleo", "?restricted=true&state=open");
    assert.ok(restricted, "the seed opened a restricted case");
    const page = await logIn("cleo");
    await page.goto(`${server!.url}/cases/${restricted.id}`);
    await page.getByTestId("case-reports").getByText("No report for this case.").waitFor();
    await page.getByTestId("decide-confirm").click();
    await page.getByTestId("confirm-dialog").waitFor();
    await page.getByTestId("confirm-category").selectOption("csam");
    // The classification by keyboard alone: Tab to it, arrows choose (not classified, A1, A2, B1, B2), Enter confirms.
    const classification = page.getByTestId("confirm-classification");
    assert.equal(await classification.inputValue(), "", "not classified unless the reviewer chooses");
    const help = await page.locator(`#${await classification.getAttribute("aria-describedby")}`).innerText();
    assert.match(help, /A prepubescent, B pubescent/);
    assert.match(help, /1 a sex act, 2 a lascivious exhibition/);
    assert.deepEqual(
      await classification.locator("option").allInnerTexts(),
      ["not classified", "A1: prepubescent, a sex act", "A2: prepubescent, a lascivious exhibition", "B1: pubescent, a sex act", "B2: pubescent, a lascivious exhibition"],
    );
    await page.keyboard.press("Tab");
    await page.locator('[data-testid="confirm-classification"]:focus').waitFor();
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowDown");
    assert.equal(await classification.inputValue(), "B2");
    await page.keyboard.press("Enter");
    await page.getByTestId("case-decided").waitFor();
    assert.match(await page.getByTestId("case-message").innerText(), /Decided: confirm \(csam, B2\)/);

    const cleo = await sessionOf("cleo");
    const decidedCase = (await (await api(`/v1/cases/${restricted.id}`, cleo)).json()) as { history: Array<{ kind: string; details: { industryClassification?: string } }> };
    assert.equal(decidedCase.history.find((h) => h.kind === "decided")?.details.industryClassification, "B2", "the classification reached the API with the decision");
    const { reports } = (await (await api(`/v1/cases/${restricted.id}/reports`, cleo)).json()) as { reports: Array<{ id: string; state: string }> };
    assert.equal(reports.length, 1, "confirming a restricted case the policy asked to report opens one report");
    const report = page.locator(`[data-testid="case-report"][data-report-id="${reports[0]!.id}"]`);
    await report.waitFor();
    assert.match(await report.getByTestId("report-state").innerText(), /\w/);

    await page.getByRole("link", { name: "Reports" }).click();
    const row = page.locator(`[data-testid="report-row"][data-report-id="${reports[0]!.id}"]`);
    await row.waitFor();
    const listed = (await (await api("/v1/reports", cleo)).json()) as { reports: unknown[] };
    assert.equal(await page.getByTestId("report-row").count(), listed.reports.length, "one row per report the API lists");
    await page.getByTestId("report-state-filter").selectOption("finished");
    await waitFor("the filtered list", async () => ((await page.getByTestId("report-row").count()) === listed.reports.filter((r) => (r as { state: string }).state === "finished").length ? true : undefined), {
      timeoutMs: waitMs,
      intervalMs: 100,
    });
    await page.getByTestId("report-state-filter").selectOption("");
    await row.getByRole("link").click();
    await page.locator(`[data-testid="case-screen"][data-case-id="${restricted.id}"]`).waitFor();

    const mo = await logIn("mo");
    const asked: string[] = [];
    mo.on("request", (request) => {
      if (/\/v1\/(cases\/[^/]+\/)?reports/.test(new URL(request.url()).pathname)) asked.push(request.url());
    });
    await mo.getByTestId("queue-table").waitFor();
    assert.equal(await mo.getByRole("link", { name: "Reports" }).count(), 0, "no Reports entry for a moderator");
    const [any] = await casesOf("mo");
    assert.ok(any, "the moderator has a case to open");
    await mo.goto(`${server!.url}/cases/${any.id}`);
    await mo.getByTestId("case-screen").waitFor();
    await mo.getByTestId("decision-bar").waitFor();
    assert.equal(await mo.getByTestId("case-reports").count(), 0, "no reports panel for a moderator");
    assert.deepEqual(asked, [], "the moderator's console never asked for reports");
  });
});
