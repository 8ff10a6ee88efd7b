// Preloaded with `node --import` by test/cli/help-loads.test.ts: appends to the file named by
// LAPWING_RECORD_MODULES_TO every module the process loads, one URL or path a line: ES modules as
// the loader resolves them (a hook, which runs on the loader's own thread), CommonJS modules from
// the require cache when the process exits (the hook does not see require()).
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.LAPWING_RECORD_MODULES_TO;
if (file) {
  const hooks = `
    import { appendFileSync } from "node:fs";
    let file;
    export function initialize(data) { file = data.file; }
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      appendFileSync(file, resolved.url + "\\n");
      return resolved;
    }`;
  register("data:text/javascript," + encodeURIComponent(hooks), { data: { file } });
  const required = createRequire(import.meta.url).cache;
  process.on("exit", () => appendFileSync(file, Object.keys(required).join("\n") + "\n"));
}
