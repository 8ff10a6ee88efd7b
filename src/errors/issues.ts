/** One problem with a request, as error `details` carry it: a JSON pointer into the input and what is wrong there. */
export interface InputProblem {
  pointer: string;
  message: string;
}

/** The parts of a zod issue (or of fastify's copy of one) that locate it. */
export interface InputIssue {
  code: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  /** For `unrecognized_keys`: the unknown fields. */
  keys?: readonly string[];
}

const unknownFieldMessage = "is not a field here (misspelt, or not supported): remove it; /openapi.json and docs/ list the fields";

/**
 * Turns validation issues into problems with JSON pointers under `prefix`.
 * An unknown field (zod's `unrecognized_keys`, which points at the object)
 * gets its own pointer, `/account/ageband`, and comes first: it is often the
 * misspelling of a missing field reported beside it.
 *
 * @example
 * inputProblems([{ code: "unrecognized_keys", path: [], keys: ["scope"], message: "…" }]);
 * // → [{ pointer: "/scope", message: "is not a field here …" }]
 */
export function inputProblems(issues: readonly InputIssue[], prefix = ""): InputProblem[] {
  const pointerOf = (path: ReadonlyArray<PropertyKey>) => prefix + path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
  const unknown = issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? (issue.keys ?? []).map((key) => ({ pointer: pointerOf([...issue.path, key]), message: unknownFieldMessage })) : []));
  const other = issues.filter((issue) => issue.code !== "unrecognized_keys").map((issue) => ({ pointer: pointerOf(issue.path) || "/", message: issue.message }));
  return [...unknown, ...other];
}
