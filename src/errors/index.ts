export { errorCodes, type ErrorCode } from "./codes.js";
export { LapwingError, isLapwingError } from "./lapwing-error.js";
