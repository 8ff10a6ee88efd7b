/** The one table the event service may see (migration 0007). Times are ISO-8601 text. */
export interface EventTables {
  events: {
    /** The platform's event id. */
    id: string;
    type: string;
    platform_id: string | null;
    /** What the event is about: an account, post or comment id, or a report's target. */
    subject_id: string | null;
    /** Who acted: the author, follower, reporter or interacting account. */
    actor_id: string | null;
    occurred_at: string;
    received_at: string;
    /** The validated event as JSON (bytes of inline media are replaced by their hashes once processed). */
    payload: string;
    processed_at: string | null;
    /** JSON array of `EventSignal`, written with `processed_at`. */
    signals: string | null;
  };
}
