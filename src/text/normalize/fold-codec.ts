/**
 * Decodes the generated fold tables' text form: "cp:out.out|..." in base 36,
 * where "cp:out*n" stands for n consecutive code points folding to n
 * consecutive ones. Shared by the matcher (fold.ts) and the generators.
 */
export function decodeFolds(text: string): { single: Map<number, number>; multi: Map<number, readonly number[]> } {
  const single = new Map<number, number>();
  const multi = new Map<number, readonly number[]>();
  if (text === "") return { single, multi };
  for (const entry of text.split("|")) {
    const colon = entry.indexOf(":");
    const star = entry.indexOf("*", colon);
    const from = parseInt(entry.slice(0, colon), 36);
    const outs = entry
      .slice(colon + 1, star < 0 ? undefined : star)
      .split(".")
      .map((x) => parseInt(x, 36));
    const count = star < 0 ? 1 : parseInt(entry.slice(star + 1), 36);
    if (outs.length === 1) for (let i = 0; i < count; i++) single.set(from + i, outs[0] + i);
    else multi.set(from, Object.freeze(outs));
  }
  return { single, multi };
}
