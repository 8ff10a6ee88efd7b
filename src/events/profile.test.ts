import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventTexts, foldProfile } from "./profile.js";
import type { PlatformEvent } from "./schema.js";

const at = (minute: number) => `2026-03-01T12:${String(minute).padStart(2, "0")}:00.000Z`;
const account = (minute: number, fields: Record<string, unknown>, type = "account.updated") =>
  ({ occurredAt: at(minute), event: { id: `e${minute}`, type, occurred_at: at(minute), account: { id: "a1", ...fields } } as PlatformEvent });

describe("account profiles folded from events", () => {
  it("keeps each field's newest value, earlier handles newest first, and the age band with its source", () => {
    const profile = foldProfile("a1", [
      account(1, { handle: "first", display_name: "One", bio: "hello", age_band: { value: "16_17", source: "estimated" } }, "account.created"),
      account(2, { handle: "second" }),
      account(3, { bio: "changed" }),
      account(4, { handle: "third", age_band: { value: "18_plus", source: "declared" } }),
    ]);
    assert.deepEqual(profile, {
      id: "a1",
      handle: "third",
      displayName: "One",
      bio: "changed",
      ageBand: "18_plus",
      ageSource: "declared",
      earlierHandles: ["second", "first"],
      updatedAt: at(4),
    });
  });

  it("is null without a profile event, and ignores other accounts' and other kinds of events", () => {
    assert.equal(foldProfile("a1", []), null);
    const post = { occurredAt: at(1), event: { id: "p", type: "post.created", occurred_at: at(1), post: { id: "p1", author_id: "a1", text: "x" } } as PlatformEvent };
    const other = { occurredAt: at(2), event: { id: "o", type: "account.created", occurred_at: at(2), account: { id: "a2", handle: "else" } } as PlatformEvent };
    assert.equal(foldProfile("a1", [post, other]), null);
  });

  it("gives an event's texts as the detectors read them, by field", () => {
    const { event } = account(1, { handle: "h", bio: "the bio", display_name: "  " });
    assert.deepEqual(eventTexts(event), [
      { field: "/account/handle", text: "h" },
      { field: "/account/bio", text: "the bio" },
    ]);
  });
});
