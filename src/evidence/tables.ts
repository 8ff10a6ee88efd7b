/** The tables the evidence vault may see (migration 0014). Times are ISO-8601 text. */
export interface EvidenceTables {
  evidence_items: {
    id: string;
    case_id: string;
    account_id: string;
    kind: string;
    content_id: string | null;
    target_type: string | null;
    file_name: string;
    mime_type: string;
    byte_size: number | string;
    md5: string;
    sha256: string;
    pdq: string | null;
    pdq_quality: number | null;
    captured_at: string;
    source: string;
    source_url: string | null;
    event_id: string | null;
    trigger: string;
    published_at: string | null;
    /** `<case id>/<item id>` in the storage backend. */
    storage_key: string;
    /** AES-GCM nonce and tag of the item (base64). */
    iv: string;
    tag: string;
    /** The master key the data key is wrapped with, and the wrapped data key (base64). */
    key_id: string;
    wrapped_key: string;
    /** SHA-256 (hex) of the canonical metadata and the ciphertext. */
    integrity: string;
  };
  evidence_cases: {
    case_id: string;
    reported_at: string | null;
    jurisdiction: string | null;
    /** Deletable after this unless held; null keeps it. */
    retain_until: string | null;
    updated_at: string;
  };
  evidence_holds: {
    id: string;
    case_id: string;
    reason: string;
    set_by: string;
    set_at: string;
    until: string | null;
    released_at: string | null;
    released_by: string | null;
    release_reason: string | null;
    /** JSON array of changes. */
    history: string;
  };
  evidence_requests: {
    id: string;
    case_id: string;
    account_id: string;
    target_type: string;
    target_id: string;
    expected_sha256: string | null;
    event_id: string | null;
    trigger: string;
    /** `pending`, `received` or `cancelled`. */
    state: string;
    requested_at: string;
    received_at: string | null;
    item_id: string | null;
  };
}
