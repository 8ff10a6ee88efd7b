#!/usr/bin/env node
// Entry point installed as `lapwing`: loads tsx so the TypeScript sources run directly.
import { register } from "node:module";
import { pathToFileURL } from "node:url";

register("tsx/esm", pathToFileURL("./"));
await import("../src/cli/main.ts");
