export { createTextCheck, type TextCheck, type TextCheckService, type TextVerdict } from "./service.js";
