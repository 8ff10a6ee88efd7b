export { errorCodes, type ErrorCode } from "./codes.js";
export { LapwingError, isLapwingError } from "./lapwing-error.js";
export { inputProblems, type InputIssue, type InputProblem } from "./issues.js";
