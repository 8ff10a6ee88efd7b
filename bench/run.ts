// `npm run bench`: runs every benchmark, each in a process of its own so that
// memory figures do not mix. `npm run bench -- pdq text` runs only those;
// arguments after `--` that start with "--" go to every benchmark (e.g.
// `npm run bench -- index --sizes 1000000`). Figures and how to read them: bench/README.md.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const benches = ["pdq", "media-pool", "index", "text", "adverts", "ingest", "stream", "scale-out", "graph", "linking", "network", "guard-latency", "startup"] as const;
const root = fileURLToPath(new URL("..", import.meta.url));

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith("--") && (benches as readonly string[]).includes(a));
const flags = args.filter((a) => !(benches as readonly string[]).includes(a));
const selected = names.length > 0 ? names : [...benches];

let failed = 0;
for (const name of selected) {
  const file = `bench/${name}.ts`;
  if (!existsSync(root + file)) {
    console.log(`\n(skipping ${name}: ${file} does not exist yet)`);
    continue;
  }
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=8192", "--import", "tsx", file, ...flags], { cwd: root, stdio: "inherit" });
  console.log(`(${name} took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
