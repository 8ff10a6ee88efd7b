/**
 * Where a platform shows suggestions, as the recommender guard and the audit
 * name them (issue 8): suggested accounts, posts, hashtags and groups.
 */
export const recommendationSurfaces = ["accounts", "posts", "hashtags", "groups"] as const;

export type RecommendationSurface = (typeof recommendationSurfaces)[number];

export function isRecommendationSurface(value: string): value is RecommendationSurface {
  return (recommendationSurfaces as readonly string[]).includes(value);
}
