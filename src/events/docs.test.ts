import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { eventTypes, media, platformEvent } from "./schema.js";

describe("docs/events.md", () => {
  const doc = readFileSync(new URL("../../docs/events.md", import.meta.url), "utf8");
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);

  it("has a valid example of every event type, and its media examples are valid", () => {
    const examples = blocks.filter((b) => "occurred_at" in b);
    for (const example of examples) {
      const parsed = platformEvent.safeParse(example);
      assert.ok(parsed.success, `${String(example.id)}: ${parsed.success ? "" : JSON.stringify(parsed.error.issues)}`);
    }
    const documented = new Set(examples.map((e) => e.type));
    assert.deepEqual(eventTypes.filter((t) => !documented.has(t)), [], "every type has an example");
    for (const item of blocks.filter((b) => "kind" in b && !("type" in b))) assert.ok(media.safeParse(item).success, JSON.stringify(item));
  });

  it("shows a message body being refused, as the schema does", () => {
    const message = blocks.find((b) => b.type === "interaction" && b.kind === "message")!;
    assert.equal(platformEvent.safeParse({ ...message, body: "hello" }).success, false);
    assert.equal(platformEvent.safeParse({ ...message, message_text: "hello" }).success, false);
  });
});
