/**
 * Media previews for the review console: fetched from the platform on demand
 * (LAPWING_MEDIA_PREVIEW_URL), proxied, never stored; reveals audited.
 *
 * @example
 * const previews = createMediaPreview({ template: "https://platform.example/media/{contentId}", ...deps });
 * const { bytes, contentType } = await previews.preview(caseId, "m1", { actor: "user:01J…", canSeeRestricted: false });
 * await previews.recordReveal(caseId, "m1", viewer); // audited as media.reveal
 */
export { createMediaPreview, maxPreviewBytes, previewTimeoutMs, type MediaPreview, type MediaPreviewDeps, type PreviewViewer } from "./service.js";
export { contentOfEvent, type CaseContent } from "./content.js";
