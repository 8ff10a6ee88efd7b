#!/usr/bin/env node
// Entry point installed as `lapwing`: registers tsx so the TypeScript sources run directly.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
