/** The one table the event service may see (migrations 0007, 0019). Times are ISO-8601 text. */
export interface EventTables {
  events: {
    /** The platform's event id, unique within its platform: the key is (platform_id, id). */
    id: string;
    type: string;
    /** Which platform sent it; '' for the default platform (an event without `platform_id`). */
    platform_id: string;
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
