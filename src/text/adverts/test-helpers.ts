// Shared by this folder's tests only.
import { isLapwingError } from "../../errors/index.js";

export { compileLexicon } from "../index.js";

/** Whether `error` is a LapwingError with this code and pointer (for `assert.throws`). */
export function isLapwingErrorCode(error: unknown, code: string, pointer: string): boolean {
  return isLapwingError(error) && error.code === code && error.pointer === pointer;
}
