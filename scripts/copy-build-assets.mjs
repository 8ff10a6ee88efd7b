#!/usr/bin/env node
// After `tsc -p tsconfig.build.json`: copies the files src/ reads at run time next to its own
// modules (`new URL("./x", import.meta.url)`) into dist/, at the same relative paths, so the
// compiled code finds them. TypeScript, tests, notes and the tsx shims (*.mjs, which load .ts
// files and are replaced by the compiled modules themselves) are not copied.
import { copyFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");
const skipped = [".ts", ".mjs", ".md"];

let copied = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (!skipped.some((ext) => name.endsWith(ext))) {
      const target = join(dist, relative(src, path));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(path, target);
      copied++;
    }
  }
}
walk(src);
process.stdout.write(`copied ${copied} run-time asset(s) from src/ to dist/\n`);
