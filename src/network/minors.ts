/**
 * Whether a profile reads as a child's when the platform gave no age band:
 * a stated age under 18 ("14 y/o", "15yo", "age 13"), a school year below
 * university ("8th grade", "year 9", "grade 10"), or a graduating class still
 * in the future. Used only to protect: such an account is never scored as a
 * network member through who follows it, and is surfaced when targeted.
 */
export function looksLikeMinor(bio: string | undefined, referenceYear: number): boolean {
  if (!bio) return false;
  const text = bio.toLowerCase();
  for (const m of text.matchAll(/\b(\d{1,2})\s*(?:y\/?o|yrs?\b|years?\s+old)/g)) {
    const age = Number(m[1]);
    if (age >= 8 && age < 18) return true;
  }
  for (const m of text.matchAll(/\bage[:\s]+(\d{1,2})\b/g)) {
    const age = Number(m[1]);
    if (age >= 8 && age < 18) return true;
  }
  if (/\b(?:[5-9]|1[0-2])(?:st|nd|rd|th)\s+grade\b/.test(text) || /\b(?:grade|year)\s+(?:[5-9]|1[0-2])\b/.test(text)) return true;
  if (/\b(?:middle|high)\s+school(?:er)?\b/.test(text) && !/\b(?:teacher|coach|staff|counsel|principal|parent|mom|dad|alum)/.test(text)) return true;
  for (const m of text.matchAll(/\bclass\s+of\s+'?(\d{2}|\d{4})\b/g)) {
    const year = m[1]!.length === 2 ? 2000 + Number(m[1]) : Number(m[1]);
    if (year > referenceYear && year <= referenceYear + 7) return true;
  }
  return false;
}
