// Media previews, reveals and preferences: the endpoints of the console API
// work (GET /v1/cases/{id}/content, GET /v1/media/preview/{contentId},
// POST /v1/console/reveals, GET/PUT /v1/me/preferences), kept here alone so
// that, where a server lacks them, the console degrades in one place: no
// preview, the default preferences, and a reveal that is refused.
import { endpoints } from "./endpoints";
import { ApiError, call, fillPath } from "./http";
import type { CaseContentItem, Preferences } from "./types";

export const defaultPreferences: Preferences = { blurMedia: true, greyscaleMedia: true };

export async function caseContent(caseId: string): Promise<{ previewSource: boolean; content: CaseContentItem[] }> {
  try {
    return await call("caseContent", { params: { id: caseId } });
  } catch (error) {
    // A server without the preview work answers 404 for the route itself: no previews, said plainly on screen.
    if (error instanceof ApiError && error.status === 404 && error.code === "NOT_FOUND") return { previewSource: false, content: [] };
    throw error;
  }
}

/** The URL an <img>/<video> loads a preview from (same origin, the session cookie goes with it). */
export function previewUrl(caseId: string, contentId: string): string {
  return `${fillPath(endpoints.mediaPreview.path, { contentId })}?caseId=${encodeURIComponent(caseId)}`;
}

/** Records a reveal in the audit log; the console un-blurs only after this succeeds. */
export function recordReveal(caseId: string, contentId: string): Promise<unknown> {
  return call("recordReveal", { body: { caseId, contentId } });
}

export async function getPreferences(): Promise<Preferences> {
  try {
    const prefs = await call<Preferences>("getPreferences");
    return { blurMedia: prefs.blurMedia, greyscaleMedia: prefs.greyscaleMedia };
  } catch {
    return defaultPreferences;
  }
}

export function putPreferences(change: Partial<Preferences>): Promise<Preferences> {
  return call("putPreferences", { body: change });
}
