import type { Kysely } from "kysely";
import type { AuditLog } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import { createMediaFetcher, type MediaFetcher, type PlatformEvent } from "../events/index.js";
import { contentOfEvent, type CaseContent } from "./content.js";
import { hasMediaSignature } from "./signature.js";

/** Largest preview proxied; a larger one is abandoned (previews are meant to be small renditions). */
export const maxPreviewBytes = 10 * 1024 * 1024;
/** Longest a preview fetch may take, connection to last byte. */
export const previewTimeoutMs = 10_000;

/**
 * The types a preview may be served as. Anything else (HTML, SVG, scripts)
 * could run in the console's origin, so it is refused rather than proxied.
 */
const previewTypes: ReadonlySet<string> = new Set([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/bmp",
  "video/mp4",
  "video/webm",
  "video/ogg",
]);

/** Who asks: the audit actor and whether they may see restricted (child-safety) cases. */
export interface PreviewViewer {
  actor: string;
  canSeeRestricted: boolean;
}

export interface MediaPreviewDeps {
  /** LAPWING_MEDIA_PREVIEW_URL; empty when no preview source is configured. */
  template: string;
  /** LAPWING_MEDIA_PREVIEW_PRIVATE_ADDRESSES. */
  allowPrivateAddresses?: boolean;
  cases: { summary(caseId: string, viewer: { canSeeRestricted: boolean }): Promise<{ id: string; restricted: boolean }> };
  decisions: { forCase(caseId: string): Promise<Array<{ eventId: string }>> };
  events: { get(eventId: string): Promise<{ id: string; event: PlatformEvent }> };
  /** Whether any decision about this post, comment or account was restricted. */
  isSubjectRestricted(subjectId: string): Promise<boolean>;
  audit: AuditLog;
  db: Kysely<unknown>;
  /** Tests pass a fetcher of their own. */
  fetcher?: MediaFetcher;
}

/**
 * Media previews for the console. Lapwing keeps hashes, not media: a preview
 * is fetched from the platform on demand, through the SSRF-guarded fetcher,
 * and handed to the caller without being stored.
 *
 * ## Who may see what
 *
 * A preview is always asked for within a case: the case must be one the
 * caller may see (restricted cases: child-safety reviewers only), the content
 * must be named by one of the case's events, and, for callers who may not see
 * restricted cases, nothing about the content's post, comment or account may
 * sit in a restricted case (the same post can be named by a report in an
 * ordinary case and by a hash match in a restricted one).
 *
 * ## Reveals
 *
 * The console shows previews blurred; un-blurring one is a reveal, recorded in
 * the audit log (`media.reveal`, target the case) under the same checks.
 */
export function createMediaPreview(deps: MediaPreviewDeps) {
  const template = deps.template.trim();
  const host = template ? new URL(template.replaceAll("{contentId}", "x")).hostname.toLowerCase().replace(/^\[|\]$/g, "") : "";
  const fetcher =
    deps.fetcher ??
    createMediaFetcher({
      allowedHosts: host ? [host] : [],
      allowPrivateAddresses: deps.allowPrivateAddresses,
      maxBytes: maxPreviewBytes,
      timeoutMs: previewTimeoutMs,
      accept: [...previewTypes].join(", "),
    });

  /** Everything in the case a preview could be asked for, in the order of its decisions. */
  async function caseContent(caseId: string, viewer: PreviewViewer): Promise<CaseContent[]> {
    await deps.cases.summary(caseId, viewer);
    const content: CaseContent[] = [];
    const seen = new Set<string>();
    for (const { eventId } of await deps.decisions.forCase(caseId)) {
      const stored = await deps.events.get(eventId).catch(() => undefined);
      if (!stored) continue;
      for (const item of contentOfEvent(eventId, stored.event)) {
        if (seen.has(item.contentId)) continue;
        seen.add(item.contentId);
        content.push(item);
      }
    }
    return content;
  }

  /** The content named in the case, after every check above; PREVIEW_UNAVAILABLE (or CASE_NOT_FOUND) otherwise. */
  async function findInCase(caseId: string, contentId: string, viewer: PreviewViewer): Promise<CaseContent> {
    const item = (await caseContent(caseId, viewer)).find((c) => c.contentId === contentId);
    if (!item || (!viewer.canSeeRestricted && ((await deps.isSubjectRestricted(item.subjectId)) || (await deps.isSubjectRestricted(item.contentId))))) {
      throw new LapwingError("PREVIEW_UNAVAILABLE", `Case ${caseId} holds no content "${contentId}" you may see; list what it holds with GET /v1/cases/${caseId}/content.`);
    }
    return item;
  }

  /** Fetches the preview of one piece of a case's content. The bytes are the caller's to send on; nothing is kept. */
  async function preview(caseId: string, contentId: string, viewer: PreviewViewer): Promise<{ bytes: Buffer; contentType: string }> {
    if (!template) {
      throw new LapwingError(
        "PREVIEW_UNAVAILABLE",
        "No preview source is configured: set LAPWING_MEDIA_PREVIEW_URL to a URL template the platform serves, e.g. https://platform.example/media/{contentId}.",
      );
    }
    await findInCase(caseId, contentId, viewer);
    const result = await fetcher.fetchMedia(template.replaceAll("{contentId}", encodeURIComponent(contentId)));
    if (!result.ok) {
      if (result.status === 404 || result.status === 410) throw new LapwingError("PREVIEW_UNAVAILABLE", `The platform has no preview of "${contentId}" (its preview source answered ${result.status}).`);
      throw new LapwingError("PREVIEW_FAILED", `The preview of "${contentId}" could not be fetched: ${result.message}`);
    }
    const contentType = (result.contentType ?? "").split(";")[0]!.trim().toLowerCase();
    if (!previewTypes.has(contentType)) {
      throw new LapwingError("PREVIEW_FAILED", `The platform answered with ${contentType ? `"${contentType}"` : "no Content-Type"}; previews are served only as ${[...previewTypes].join(", ")}.`);
    }
    if (!hasMediaSignature(contentType, result.bytes)) {
      throw new LapwingError("PREVIEW_FAILED", `The platform's preview of "${contentId}" is not ${contentType} data (${result.bytes.length} bytes that do not begin as that format does); it is not proxied.`);
    }
    return { bytes: result.bytes, contentType };
  }

  /** Records that `viewer` un-blurred one item of a case (`media.reveal` in the audit log). */
  async function recordReveal(caseId: string, contentId: string, viewer: PreviewViewer) {
    const item = await findInCase(caseId, contentId, viewer);
    return deps.audit.record(deps.db, {
      actor: viewer.actor,
      action: "media.reveal",
      target: { type: "case", id: caseId },
      details: { caseId, contentId, kind: item.kind, eventId: item.eventId, ...(item.field ? { field: item.field } : {}) },
    });
  }

  return { isConfigured: template !== "", caseContent, preview, recordReveal };
}

export type MediaPreview = ReturnType<typeof createMediaPreview>;
