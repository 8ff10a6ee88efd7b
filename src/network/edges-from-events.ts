import { accountKeyOf, eventKeyOf, splitScopedKey, utcTimestamp, type PlatformEvent } from "../events/index.js";
import type { EdgeKind } from "./tables.js";

/** One social-graph edge an event implies. */
export interface EdgeInput {
  /** The event's scoped key (src/events/tenancy.ts): unique across platforms. */
  eventId: string;
  kind: EdgeKind;
  /** The account's scoped key on the event's platform (src/events/tenancy.ts: the bare id on the default platform). */
  src: string;
  /** An account's scoped key, or that of `post:<id>` / `comment:<id>` when only the content is named. */
  dst: string;
  occurredAt: string;
}

/** Event types that are nothing but an edge: they skip the per-event job and go to the edge log alone. */
export const graphOnlyEventTypes: ReadonlySet<PlatformEvent["type"]> = new Set(["follow", "unfollow", "interaction"]);

/**
 * The edge an event implies, if any: follows and unfollows, likes, shares and
 * messages (metadata only), comments (commenter → the post's author) and
 * reports (reporter → target, kept apart from affinity by their kind).
 */
export function edgeOf(event: PlatformEvent): EdgeInput | undefined {
  switch (event.type) {
    case "follow":
    case "unfollow":
      return edgeFrom(event, event.type, event.follower_id, event.followee_id);
    case "interaction": {
      const dst = event.target_account_id ?? (event.target_post_id !== undefined ? `post:${event.target_post_id}` : undefined);
      return dst === undefined ? undefined : edgeFrom(event, event.kind, event.actor_id, dst);
    }
    case "comment.created":
      return edgeFrom(event, "comment", event.comment.author_id, `post:${event.comment.post_id}`);
    case "report.created": {
      const { target } = event.report;
      // Reported media is attributed only when the platform names its owner.
      const dst = target.type === "account" ? target.id : (target.author_id ?? (target.type === "media" ? undefined : `${target.type}:${target.id}`));
      return dst === undefined ? undefined : edgeFrom(event, "report", event.report.reporter_id, dst);
    }
    default:
      return undefined;
  }
}

/** Not a closure in `edgeOf`: a closure made per event costs a tenth of bulk ingest when run through tsx (which names each one). */
function edgeFrom(event: PlatformEvent, kind: EdgeKind, src: string, dst: string): EdgeInput | undefined {
  // Account and content ids are per platform, like event ids: the same id from two platforms is two nodes.
  return src === dst ? undefined : { eventId: eventKeyOf(event), kind, src: accountKeyOf(event, src), dst: accountKeyOf(event, dst), occurredAt: utcTimestamp(event.occurred_at) };
}

/**
 * The event a graph-only edge row was recorded from, rebuilt for
 * `GET /v1/events/{id}` (such events have no event row). Only what the edge
 * keeps comes back (the platform from the scoped key): an interaction's
 * `conversation_id` is not kept. Edges written before account tenancy name
 * their accounts by bare id; on the default platform that is their key anyway.
 */
export function eventOfEdge(row: { event_id: string; kind: string; src: string; dst: string; occurred_at: string }): PlatformEvent | undefined {
  const { platformId, id } = splitScopedKey(row.event_id);
  const base = { id, occurred_at: row.occurred_at, ...(platformId ? { platform_id: platformId } : {}) };
  // The platform's own ids: the keys name the event's platform (a row from before account tenancy holds them bare).
  const src = splitScopedKey(row.src).id;
  const dst = splitScopedKey(row.dst).id;
  if (row.kind === "follow" || row.kind === "unfollow") return { ...base, type: row.kind, follower_id: src, followee_id: dst };
  if (row.kind === "like" || row.kind === "share" || row.kind === "message") {
    const target = dst.startsWith("post:") ? { target_post_id: dst.slice("post:".length) } : { target_account_id: dst };
    return { ...base, type: "interaction", kind: row.kind, actor_id: src, ...target };
  }
  return undefined;
}
