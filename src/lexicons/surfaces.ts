/**
 * Where text appears on a platform. Search surfaces go through the search
 * gate; content kinds through the text check. A lexicon applies to a chosen
 * set of them, so an operator can keep, say, a hashtag list apart from a bio list.
 */
export const searchSurfaces = ["search", "hashtag", "typeahead"] as const;
export const contentKinds = ["post", "bio", "comment", "username", "display_name", "hashtag", "image_text"] as const;
export const textSurfaces = [...new Set([...searchSurfaces, ...contentKinds])] as ("search" | "typeahead" | (typeof contentKinds)[number])[];

export type SearchSurface = (typeof searchSurfaces)[number];
export type ContentKind = (typeof contentKinds)[number];
export type TextSurface = SearchSurface | ContentKind;
