#!/usr/bin/env node
// Entry point installed as `lapwing`. Runs the compiled JavaScript in dist/ (`npm run build:server`,
// also run by `npm install` through `prepare`), which starts in a fraction of the time; without a
// build, or with LAPWING_FROM_SOURCE=1, it runs the TypeScript sources through tsx instead.
import { existsSync } from "node:fs";

const built = new URL("../dist/cli/main.js", import.meta.url);
if (process.env.LAPWING_FROM_SOURCE !== "1" && existsSync(built)) {
  await import(built.href);
} else {
  if (process.env.LAPWING_FROM_SOURCE !== "1") {
    process.stderr.write("lapwing: dist/ is not built (run `npm run build:server`); running the TypeScript sources through tsx, which starts slower\n");
  }
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
