import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runLapwing } from "../support/cli.js";

describe("lapwing users", () => {
  let dir: string;
  let db: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "lapwing-users-"));
    db = `sqlite:${join(dir, "users.sqlite")}`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("creates a user with a piped password, lists and disables it; a password is never an argument", async () => {
    const created = await runLapwing(["--database", db, "users", "create", "--username", "Ada", "--role", "admin", "--password-stdin", "--json"], {}, "a piped passphrase\n");
    assert.equal(created.code, 0, created.stderr);
    const user = JSON.parse(created.stdout);
    assert.deepEqual([user.username, user.role, user.disabledAt], ["ada", "admin", null]);
    assert.ok(!created.stdout.includes("passphrase"));

    const second = await runLapwing(["--database", db, "users", "create", "--username", "bo", "--role", "moderator", "--password-stdin"], {}, "another piped passphrase");
    assert.equal(second.code, 0, second.stderr);
    const disabled = await runLapwing(["--database", db, "users", "disable", "bo"]);
    assert.equal(disabled.code, 0, disabled.stderr);
    const listed = await runLapwing(["--database", db, "users", "list", "--json"]);
    const users = listed.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(users.map((u: { username: string; disabledAt: string | null }) => [u.username, u.disabledAt !== null]), [["ada", false], ["bo", true]]);

    const asArgument = await runLapwing(["--database", db, "users", "create", "--username", "cy", "--role", "viewer", "--password", "in the shell history"]);
    assert.equal(asArgument.code, 2, "a usage mistake");
    assert.match(asArgument.stderr, /unknown option '--password'/);
    const noTerminal = await runLapwing(["--database", db, "users", "create", "--username", "cy", "--role", "viewer"]);
    assert.equal(noTerminal.code, 1);
    assert.match(noTerminal.stderr, /--password-stdin/);
    const lastAdmin = await runLapwing(["--database", db, "users", "disable", "ada"]);
    assert.equal(lastAdmin.code, 1);
    assert.match(lastAdmin.stderr, /only active admin/);
  });
});
