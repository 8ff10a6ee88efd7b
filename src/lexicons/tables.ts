/** The tables the lexicon service may see. */
export interface LexiconTables {
  counters: { name: string; value: number | string };
  lexicons: {
    id: string;
    name: string;
    surfaces: string;
    content: string;
    entry_count: number;
    created_at: string;
    updated_at: string;
    updated_seq: number | string;
    deleted_at: string | null;
  };
}
