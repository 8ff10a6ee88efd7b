import { useEffect, useState } from "react";
import { ApiError } from "../api/http";
import { caseContent, defaultPreferences, getPreferences, previewUrl, putPreferences, recordReveal } from "../api/media";
import type { CaseContentItem, Preferences } from "../api/types";
import { useShortcuts } from "../shortcuts";
import { fieldName } from "./signal-list";
import { useAsync } from "./use-async";

/**
 * A case's media, blurred and greyscale by default (the reviewer's own
 * preferences may change that). One item at a time is revealed, on a
 * deliberate action that is recorded in the audit log first; it blurs again
 * when the pointer leaves it, when another is revealed, and when the case is
 * left. Video plays muted. Nothing is cached: previews are fetched through
 * the API each time and never stored.
 */
export function MediaPanel({ caseId, canReveal }: { caseId: string; canReveal: boolean }) {
  const content = useAsync(() => caseContent(caseId), [caseId]);
  const [prefs, setPrefs] = useState<Preferences>(defaultPreferences);
  const [revealed, setRevealed] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [prefsNote, setPrefsNote] = useState<string | null>(null);
  useEffect(() => void getPreferences().then(setPrefs), []);

  const media = (content.value?.content ?? []).filter((c) => c.kind === "media");
  const hasSource = content.value?.previewSource ?? false;

  const reveal = async (item: CaseContentItem) => {
    setError(null);
    try {
      await recordReveal(caseId, item.contentId);
      setRevealed(item.contentId);
    } catch (e) {
      setError(`Could not record the reveal, so the item stays blurred: ${e instanceof ApiError ? e.message : String(e)}`);
    }
  };
  const nextToReveal = () => {
    if (media.length === 0) return;
    const at = media.findIndex((m) => m.contentId === revealed);
    void reveal(media[(at + 1) % media.length]!);
  };
  useShortcuts(
    hasSource && media.length > 0 && canReveal
      ? [
          { key: "r", label: "reveal next media", run: nextToReveal },
          { key: "b", label: "blur media", run: () => setRevealed(null), disabled: revealed === null },
        ]
      : [],
  );

  const savePrefs = async (change: Partial<Preferences>) => {
    setPrefs((p) => ({ ...p, ...change }));
    try {
      setPrefs(await putPreferences(change));
      setPrefsNote("Saved as your default.");
    } catch (e) {
      setPrefsNote(`Not saved: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <section className="panel" aria-labelledby="media-title" data-testid="media-panel">
      <h2 id="media-title">Media</h2>
      {content.status === "loading" && !content.value && <p className="muted">Loading…</p>}
      {content.status === "error" && <p className="banner error">{content.error.message}</p>}
      {content.value && media.length === 0 && <p className="muted" data-testid="no-media">This case has no media items with an id the platform can preview.</p>}
      {content.value && media.length > 0 && !hasSource && (
        <p className="banner info" data-testid="no-preview-source">
          No preview available: no preview source is configured (LAPWING_MEDIA_PREVIEW_URL). The hashes and matches are listed with the signals.
        </p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {hasSource && media.length > 0 && (
        <div className="media-grid">
          {media.map((item) => (
            <MediaItem
              key={item.contentId}
              caseId={caseId}
              item={item}
              prefs={prefs}
              isRevealed={revealed === item.contentId}
              canReveal={canReveal}
              onReveal={() => void reveal(item)}
              onHide={() => setRevealed((r) => (r === item.contentId ? null : r))}
            />
          ))}
        </div>
      )}
      {hasSource && (
        <details className="small">
          <summary>My media defaults</summary>
          <label className="inline">
            <input type="checkbox" checked={prefs.blurMedia} onChange={(e) => void savePrefs({ blurMedia: e.target.checked })} /> start blurred
          </label>
          <label className="inline">
            <input type="checkbox" checked={prefs.greyscaleMedia} onChange={(e) => void savePrefs({ greyscaleMedia: e.target.checked })} /> start greyscale
          </label>
          {prefsNote && <span className="muted"> {prefsNote}</span>}
        </details>
      )}
    </section>
  );
}

function MediaItem(props: { caseId: string; item: CaseContentItem; prefs: Preferences; isRevealed: boolean; canReveal: boolean; onReveal(): void; onHide(): void }) {
  const { caseId, item, prefs, isRevealed, canReveal, onReveal, onHide } = props;
  // An image first; if it will not decode as one, a (muted) video; then nothing.
  const [as, setAs] = useState<"img" | "video" | "none">("img");
  const blur = prefs.blurMedia && !isRevealed;
  const grey = prefs.greyscaleMedia;
  const look = blur && grey ? "blurred" : blur ? "blur-only" : grey ? "greyscale" : "";
  // Blurring is off by this user's choice: showing the item is a reveal all the same, recorded first.
  const mustRecord = !prefs.blurMedia && !isRevealed;
  useEffect(() => {
    if (mustRecord && canReveal) onReveal();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mustRecord, canReveal]);
  const src = previewUrl(caseId, item.contentId);
  const hidden = mustRecord; // not shown until its reveal is recorded
  return (
    <figure className="media-item" onMouseLeave={isRevealed && prefs.blurMedia ? onHide : undefined} data-testid="media-item" data-revealed={isRevealed ? "true" : "false"}>
      <div className="media-frame">
        {as === "none" || hidden ? (
          <span data-testid="no-preview">{hidden ? "Recording the reveal…" : "No preview available"}</span>
        ) : as === "img" ? (
          <img src={src} alt={`Preview of media ${item.contentId}`} className={look} onError={() => setAs("video")} draggable={false} referrerPolicy="no-referrer" data-testid="media-preview" />
        ) : (
          <video src={src} className={look} muted playsInline controls={isRevealed} preload="metadata" onError={() => setAs("none")} data-testid="media-preview" />
        )}
      </div>
      <figcaption className="small">
        <code>{item.contentId}</code> <span className="muted">{fieldName(item.field)}</span>
        <br />
        {as !== "none" && canReveal && prefs.blurMedia && (
          isRevealed ? (
            <button type="button" onClick={onHide} data-testid="blur">
              Blur again
            </button>
          ) : (
            <button type="button" onClick={onReveal} data-testid="reveal">
              Reveal (audited)
            </button>
          )
        )}
      </figcaption>
    </figure>
  );
}
