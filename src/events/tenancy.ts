/**
 * Ids are unique per platform, not globally: one Lapwing may serve several
 * platforms (or instances), and event "e1" from platform A is not event "e1"
 * from platform B. An empty platform id is the default platform, the one that
 * sends no `platform_id` (docs/tenancy.md).
 *
 * The events table is keyed by the pair `(platform_id, id)`. Everywhere else
 * an event is referred to by one text value (job keys, `decisions.event_id`,
 * `graph_edges.event_id`, evidence), its *scoped key*: the platform's id
 * itself on the default platform (so every row written before tenancy still
 * names its event), else the platform id and the id joined by U+001F (unit
 * separator). Ids and platform ids are printable text (see `schema.ts`), so
 * the separator occurs in neither and the key splits back unambiguously.
 */

/** The platform of events and ids that name none. */
export const defaultPlatformId = "";

const separator = "\u001f";

/** The one text value naming `id` on `platformId` (`id` itself on the default platform). */
export function scopedKey(platformId: string | null | undefined, id: string): string {
  return platformId ? `${platformId}${separator}${id}` : id;
}

/** The platform and id a {@link scopedKey} names. */
export function splitScopedKey(key: string): { platformId: string; id: string } {
  const at = key.indexOf(separator);
  return at < 0 ? { platformId: defaultPlatformId, id: key } : { platformId: key.slice(0, at), id: key.slice(at + 1) };
}

/** The scoped key of an event as sent (its `platform_id`, if any, and its `id`). */
export function eventKeyOf(event: { id: string; platform_id?: string | undefined }): string {
  return scopedKey(event.platform_id, event.id);
}
