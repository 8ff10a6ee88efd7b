/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON safe to place inside `<script type="application/json">`: every `<`,
 * `>` and `&` (so no `</script>` or `<!--` can close or confuse the block) and
 * the line separators U+2028/U+2029 are written as \u escapes, which
 * `JSON.parse` reads back to the same characters.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Script text safe to inline in `<script>`: a `</script` or `<!--` inside
 * it (in a string or a regular expression) would end or change the element,
 * so the `<` is written as the `\x3C` escape, which means the same inside
 * JavaScript strings and regular expressions (where such text can occur).
 */
export function scriptForHtml(code: string): string {
  return code.replace(/<(\/script|!--)/gi, "\\x3C$1");
}
