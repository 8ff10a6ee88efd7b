import { mediaFields, type PlatformEvent } from "../events/index.js";

/** One piece of content a case holds that the platform may have a preview of. */
export interface CaseContent {
  /** The platform's id: the media id, or the post, comment or account id. Fills `{contentId}` in the preview template. */
  contentId: string;
  kind: "media" | "post" | "comment" | "account";
  /** The event that named it. */
  eventId: string;
  /** Where in the event: a JSON pointer (`/post/media/0`), or empty for the event's subject itself. */
  field: string;
  /** The post, comment or account it belongs to (itself for a subject). */
  subjectId: string;
}

/**
 * The content one event names: its subject (post, comment, account, or a
 * report's target) and every media item the platform gave an id. Media
 * without an id cannot be asked for by id, so they are left out.
 */
export function contentOfEvent(eventId: string, event: PlatformEvent): CaseContent[] {
  const subject = subjectOf(event);
  if (!subject) return [];
  const found: CaseContent[] = [{ contentId: subject.id, kind: subject.kind, eventId, field: "", subjectId: subject.id }];
  for (const { field, media } of mediaFields(event)) {
    if (media.id !== undefined) found.push({ contentId: media.id, kind: "media", eventId, field, subjectId: subject.id });
  }
  return found;
}

function subjectOf(event: PlatformEvent): { id: string; kind: CaseContent["kind"] } | undefined {
  switch (event.type) {
    case "account.created":
    case "account.updated":
      return { id: event.account.id, kind: "account" };
    case "post.created":
    case "post.updated":
      return { id: event.post.id, kind: "post" };
    case "comment.created":
      return { id: event.comment.id, kind: "comment" };
    case "report.created":
      return { id: event.report.target.id, kind: event.report.target.type };
    default:
      return undefined;
  }
}
