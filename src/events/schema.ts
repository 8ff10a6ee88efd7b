import { z } from "zod";
import { printableText } from "./tenancy.js";

/**
 * The platform events Lapwing accepts, one zod schema per type in one union
 * on `type`. The same schemas validate `POST /v1/events`, document it in the
 * OpenAPI document, and validate `lapwing events send`; docs/events.md shows
 * an example of each. Field names are snake_case, as platforms send them.
 */

/** Largest decoded size of media sent inline as base64. */
export const maxInlineMediaBytes = 4 * 1024 * 1024;
/** Most events in one `POST /v1/events` batch. */
export const maxEventBatch = 1000;
const maxMediaPerItem = 20;
const maxTextChars = 100_000;

// Ids are stored in indexed text columns: PostgreSQL cannot hold NUL, and control characters or lone
// surrogates in an id are never intended, so they are refused here with a pointer rather than in the database.
const printable = printableText;
/** A platform id (account, post, comment, event): 1–200 printable characters. */
export const platformEntityId = z.string().min(1).max(200).regex(printable, "ids are printable text: no control characters or unpaired surrogates");
const id = platformEntityId;
const text = z.string().max(maxTextChars);
const hex = (digits: number, name: string) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${digits}}$`), `${name} is ${digits} hexadecimal digits`)
    .transform((v) => v.toLowerCase());
const base64 = z
  .string()
  .min(1)
  .max(Math.ceil(maxInlineMediaBytes / 3) * 4, `inline media is at most ${maxInlineMediaBytes} bytes; send a URL or hashes for larger files`)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, "data_base64 is standard base64 (A-Z, a-z, 0-9, +, /, = padding), without line breaks");

export const mediaHashesInput = z
  .strictObject({
    kind: z.literal("hashes"),
    id: id.optional().describe("The platform's media id"),
    pdq: hex(64, "pdq").optional(),
    quality: z.number().int().min(0).max(100).optional().describe("PDQ quality; below LAPWING_PDQ_QUALITY_MIN the PDQ hash is not matched"),
    md5: hex(32, "md5").optional(),
    sha256: hex(64, "sha256").optional(),
  })
  .refine((m) => m.pdq !== undefined || m.md5 !== undefined || m.sha256 !== undefined, { message: "give at least one of pdq, md5 or sha256", path: ["pdq"] })
  .describe("Hashes the platform computed itself");

export const media = z
  .discriminatedUnion("kind", [
    z
      .strictObject({
        kind: z.literal("bytes"),
        id: id.optional().describe("The platform's media id"),
        content_type: z.string().max(100).optional(),
        data_base64: base64,
      })
      .describe(`The file itself, base64 (at most ${maxInlineMediaBytes} bytes decoded); Lapwing keeps only its hashes once processed`),
    z
      .strictObject({
        kind: z.literal("url"),
        id: id.optional().describe("The platform's media id"),
        url: z
          .string()
          .max(2000)
          .regex(/^https?:\/\//i, "url must start with http:// or https://"),
      })
      .describe("A URL the platform serves; fetched only from hosts in LAPWING_MEDIA_FETCH_HOSTS"),
    mediaHashesInput,
  ])
  .describe("One media item: inline bytes, a URL, or precomputed hashes");

const mediaList = z.array(media).max(maxMediaPerItem);

export const ageBands = ["under_13", "13_15", "16_17", "18_plus", "unknown"] as const;
/** The age bands that mean the account holder is under 18. */
export const minorAgeBands: ReadonlySet<string> = new Set<(typeof ageBands)[number]>(["under_13", "13_15", "16_17"]);

/** Which platform or instance sent an event: 1–200 printable characters; ids are unique within it (docs/tenancy.md). */
export const platformIdField = z.string().min(1).max(200).regex(printable, "platform_id is printable text: no control characters or unpaired surrogates");

const base = {
  id: id.describe("The platform's id for this event, unique within its platform; sending it again is a no-op"),
  occurred_at: z.iso.datetime({ offset: true }).describe("When it happened on the platform (ISO-8601)"),
  platform_id: platformIdField.optional().describe("Which platform or instance sent it, when one Lapwing serves several; ids are unique per platform, and events without one are the default platform's"),
};

const account = z.strictObject({
  id,
  handle: z.string().max(500).optional(),
  display_name: z.string().max(1000).optional(),
  bio: text.optional(),
  avatar: media.optional(),
  age_band: z
    .strictObject({ value: z.enum(ageBands), source: z.enum(["declared", "estimated"]) })
    .optional()
    .describe("The account holder's age band, if the platform has one; `source` says whether it was declared or estimated"),
});

const post = z.strictObject({
  id,
  author_id: id,
  text: text.optional(),
  hashtags: z.array(z.string().min(1).max(500)).max(100).optional(),
  media: mediaList.optional(),
  reply_to_post_id: id.optional(),
});

const target = z.strictObject({
  type: z.enum(["account", "post", "comment", "media"]),
  id,
  author_id: id.optional().describe("For content: the account that owns it, when the platform knows; otherwise Lapwing looks it up from earlier events"),
});

// Message bodies are never accepted: an interaction is metadata only, and its
// object is strict so a body cannot slip in under another name.
const noBody = z.never({ error: "interaction events carry metadata only; message bodies are never accepted" }).optional();

export const eventTypes = [
  "account.created",
  "account.updated",
  "post.created",
  "post.updated",
  "post.deleted",
  "comment.created",
  "follow",
  "unfollow",
  "interaction",
  "report.created",
  "moderation.outcome",
] as const;
export type EventType = (typeof eventTypes)[number];

export const platformEvent = z
  .discriminatedUnion("type", [
    z.strictObject({ ...base, type: z.literal("account.created"), account }).describe("A new account"),
    z.strictObject({ ...base, type: z.literal("account.updated"), account }).describe("An account's profile changed; send the fields that changed (or all of them)"),
    z.strictObject({ ...base, type: z.literal("post.created"), post }).describe("A new post"),
    z.strictObject({ ...base, type: z.literal("post.updated"), post }).describe("A post was edited; send its new text, hashtags and media"),
    z.strictObject({ ...base, type: z.literal("post.deleted"), post: z.strictObject({ id, author_id: id.optional() }) }).describe("A post was deleted"),
    z
      .strictObject({
        ...base,
        type: z.literal("comment.created"),
        comment: z.strictObject({ id, post_id: id, author_id: id, text: text.optional(), media: mediaList.optional() }),
      })
      .describe("A comment on a post"),
    z.strictObject({ ...base, type: z.literal("follow"), follower_id: id, followee_id: id }).describe("One account followed another"),
    z.strictObject({ ...base, type: z.literal("unfollow"), follower_id: id, followee_id: id }).describe("One account stopped following another"),
    z
      .strictObject({
        ...base,
        type: z.literal("interaction"),
        kind: z.enum(["like", "share", "message"]),
        actor_id: id,
        target_account_id: id.optional(),
        target_post_id: id.optional(),
        conversation_id: id.optional().describe("For messages: the conversation, so repeated contact can be seen; never its content"),
        body: noBody,
        text: noBody,
        content: noBody,
        message: noBody,
      })
      .describe("A like, share or message between accounts: metadata only, never a message body"),
    z
      .strictObject({
        ...base,
        type: z.literal("report.created"),
        report: z.strictObject({ id, reporter_id: id, target, reason: z.string().max(5000), category: z.string().max(200).optional() }),
      })
      .describe("A user reported an account or content"),
    z
      .strictObject({
        ...base,
        type: z.literal("moderation.outcome"),
        outcome: z.strictObject({
          target,
          action: z.enum(["removed", "restored", "suspended", "unsuspended", "warned", "age_restricted", "no_action", "other"]),
          reason: z.string().max(5000).optional(),
          moderator_id: id.optional(),
        }),
      })
      .describe("The platform's own moderation decision"),
  ])
  .describe("A platform event; `type` selects its shape");

export type PlatformEvent = z.output<typeof platformEvent>;
export type EventMedia = z.output<typeof media>;

export const eventBatch = z.strictObject({ events: z.array(platformEvent).min(1).max(maxEventBatch) });

/** The subject (what it is about) and actor (who did it) stored beside an event, for lookups. */
export function eventParties(event: PlatformEvent): { subjectId: string | null; actorId: string | null } {
  switch (event.type) {
    case "account.created":
    case "account.updated":
      return { subjectId: event.account.id, actorId: event.account.id };
    case "post.created":
    case "post.updated":
      return { subjectId: event.post.id, actorId: event.post.author_id };
    case "post.deleted":
      return { subjectId: event.post.id, actorId: event.post.author_id ?? null };
    case "comment.created":
      return { subjectId: event.comment.id, actorId: event.comment.author_id };
    case "follow":
    case "unfollow":
      return { subjectId: event.followee_id, actorId: event.follower_id };
    case "interaction":
      return { subjectId: event.target_account_id ?? event.target_post_id ?? null, actorId: event.actor_id };
    case "report.created":
      return { subjectId: event.report.target.id, actorId: event.report.reporter_id };
    case "moderation.outcome":
      return { subjectId: event.outcome.target.id, actorId: event.outcome.moderator_id ?? null };
  }
}
