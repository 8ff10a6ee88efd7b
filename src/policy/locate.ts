import { LapwingError } from "../errors/index.js";
import { parsePolicySet } from "./validate.js";

/** A place in a text: 1-based line and column (in UTF-16 code units), and the 0-based offset. */
export interface TextPosition {
  line: number;
  column: number;
  offset: number;
}

/** One problem of a policy text, where an editor should show it. */
export interface PolicyTextProblem extends TextPosition {
  message: string;
  /** JSON pointer to the bad value ("" for the whole text or a syntax error). */
  pointer: string;
}

/** The 1-based line and column of an offset. */
export function positionOf(text: string, offset: number): TextPosition {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: clamped - lineStart + 1, offset: clamped };
}

/**
 * Where a JSON pointer's value starts in a JSON text: the value itself when
 * it is there, else the deepest enclosing value that is (a missing field is
 * shown at the object that lacks it). Undefined when the text is not JSON.
 *
 * @example
 * locateJsonPointer('{\n  "a": [1,\n  2]\n}', "/a/1"); // { line: 3, column: 3, offset: 15 }
 */
export function locateJsonPointer(text: string, pointer: string): TextPosition | undefined {
  const { found, failedAt } = walkJson(text, pointer);
  return failedAt === undefined ? positionOf(text, found) : undefined;
}

/** Walks a JSON text towards a pointer: where its deepest present value starts, and where the text stops being JSON, if it does. */
function walkJson(text: string, pointer: string): { found: number; failedAt?: number } {
  const target = pointer === "" ? [] : pointer.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  let i = 0;
  let found = 0;

  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  // `depth` counts the pointer's segments matched on the way here; -1 once off its path.
  const walk = (depth: number): void => {
    skipSpace();
    if (depth >= 0) found = i;
    const ch = text[i];
    if (ch === "{") {
      i++;
      skipSpace();
      if (text[i] === "}") return void i++;
      for (;;) {
        skipSpace();
        if (text[i] !== '"') throw new SyntaxError("key");
        const key = readString();
        skipSpace();
        if (text[i] !== ":") throw new SyntaxError("colon");
        i++;
        walk(depth >= 0 && depth < target.length && target[depth] === key ? depth + 1 : -1);
        skipSpace();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else throw new SyntaxError("object");
      }
    }
    if (ch === "[") {
      i++;
      skipSpace();
      if (text[i] === "]") return void i++;
      for (let index = 0; ; index++) {
        walk(depth >= 0 && depth < target.length && target[depth] === String(index) ? depth + 1 : -1);
        skipSpace();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else throw new SyntaxError("array");
      }
    }
    if (ch === '"') return void readString();
    const start = i;
    while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    if (i === start) throw new SyntaxError("value");
  };
  try {
    walk(0);
    skipSpace();
    if (i < text.length) throw new SyntaxError("trailing");
  } catch {
    return { found, failedAt: Math.min(i, text.length) };
  }
  return { found };
}

/**
 * Validates a policy set as an editor holds it, as text, and says where the
 * problem is: a JSON syntax error at its position, a policy problem at the
 * line of the value its pointer names.
 */
export function checkPolicyText(text: string): { valid: true; policies: number } | { valid: false; problems: PolicyTextProblem[] } {
  try {
    return { valid: true, policies: parsePolicySet(text).policies.length };
  } catch (error) {
    if (!(error instanceof LapwingError) || error.code !== "POLICY_INVALID") throw error;
    const pointer = error.pointer ?? "";
    const walked = walkJson(text, pointer);
    // A syntax error is shown where the text stops being JSON; any other problem at the value its pointer names.
    const position = positionOf(text, walked.failedAt ?? walked.found);
    return { valid: false, problems: [{ message: error.message, pointer, ...position }] };
  }
}
