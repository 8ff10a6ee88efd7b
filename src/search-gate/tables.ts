/** The one table the search gate's counter may see (migration 0012). */
export interface SearchGateTables {
  search_block_counts: {
    /** The hour the blocks fell in, ISO-8601 (`2026-12-04T16:00:00.000Z`). */
    hour: string;
    /** `search`, `hashtag` or `typeahead`. */
    surface: string;
    blocked: number | string;
    suggestions_removed: number | string;
  };
}
