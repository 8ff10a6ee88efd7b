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

/** Ids and platform ids are printable text: no control characters (so no U+001F) and no unpaired surrogates. */
export const printableText = /^[^\p{Cc}\p{Cs}]*$/u;

/**
 * Why `value` cannot be a platform id (1–200 printable characters, as the event field `platform_id`), or
 * undefined when it can: for shells that take one without the event schema (the command line's `--platform`).
 */
export function platformIdProblem(value: string): string | undefined {
  if (value.length === 0 || value.length > 200) return "a platform id is 1 to 200 characters";
  if (!printableText.test(value)) return "a platform id is printable text: no control characters or unpaired surrogates";
  return undefined;
}

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

/**
 * The scoped key of an account (or of content, `post:<id>`) an event names:
 * account ids are per platform too, so account "42" of two platforms is two
 * accounts, two cases and two graph nodes (docs/tenancy.md, "Accounts").
 */
export function accountKeyOf(event: { platform_id?: string | undefined }, accountId: string): string {
  return scopedKey(event.platform_id, accountId);
}

/**
 * An account key as answers show it: the platform's own id, plus `platformId`
 * only when it is not the default platform, so the default platform's answers
 * keep their shape byte for byte.
 */
export function accountRefOf(key: string): { id: string; platformId?: string } {
  const { platformId, id } = splitScopedKey(key);
  return platformId === defaultPlatformId ? { id } : { id, platformId };
}

/** `{ platformId }` for spreading into an answer beside a bare id; empty for the default platform. */
export function platformFieldOf(key: string): { platformId?: string } {
  const { platformId } = splitScopedKey(key);
  return platformId === defaultPlatformId ? {} : { platformId };
}

/** An account key in a sentence: `42`, or `42 (platform forum.example)`. */
export function describeAccount(key: string): string {
  const { platformId, id } = splitScopedKey(key);
  return platformId === defaultPlatformId ? id : `${id} (platform ${platformId})`;
}
