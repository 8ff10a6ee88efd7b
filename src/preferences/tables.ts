/** The one table the preferences service may see (migration 0012). */
export interface PreferenceTables {
  console_preferences: {
    user_id: string;
    /** 1: media are blurred until the reviewer reveals one. */
    blur_media: number;
    /** 1: media are shown in greyscale. */
    greyscale_media: number;
    updated_at: string;
  };
}
