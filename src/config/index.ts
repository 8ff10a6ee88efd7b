export { loadConfig } from "./load.js";
export { configSchema, configKeys, environmentName, type Config, type ConfigKey } from "./schema.js";
