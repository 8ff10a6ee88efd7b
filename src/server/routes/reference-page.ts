import { createHash } from "node:crypto";

/**
 * `/docs`: the API reference rendered in the browser from `/openapi.json`,
 * self-contained (no CDN: Lapwing runs where the network may be closed). A
 * small renderer: each operation with its summary, description, access,
 * parameters, request body and responses, schemas shown as JSON.
 */
const script = `
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const json = (v) => "<pre>" + esc(JSON.stringify(v, null, 2)) + "</pre>";
const access = (a) => !a ? "" : a.scope === "public" ? "no key needed" : "scope <code>" + esc(a.scope) + "</code>" + (a.roles ? ", roles " + a.roles.map((r) => "<code>" + esc(r) + "</code>").join(" ") : "");
fetch("openapi.json").then((r) => r.json()).then((doc) => {
  const out = [];
  out.push("<h1>" + esc(doc.info?.title) + " <small>" + esc(doc.info?.version) + "</small></h1><p>" + esc(doc.info?.description) + "</p>");
  const groups = new Map();
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = (op.tags ?? ["other"])[0];
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag).push([method, path, op]);
    }
  }
  out.push("<nav>" + [...groups.keys()].map((t) => '<a href="#' + esc(t) + '">' + esc(t) + "</a>").join(" · ") + "</nav>");
  for (const [tag, ops] of groups) {
    out.push('<h2 id="' + esc(tag) + '">' + esc(tag) + "</h2>");
    for (const [method, path, op] of ops) {
      out.push('<details><summary><span class="m ' + esc(method) + '">' + esc(method.toUpperCase()) + "</span> <code>" + esc(path) + "</code> " + esc(op.summary) + "</summary>");
      if (op.description) out.push("<p>" + esc(op.description) + "</p>");
      const a = access(op["x-lapwing-access"]);
      if (a) out.push("<p><b>Access:</b> " + a + "</p>");
      if (op.parameters?.length) out.push("<h4>Parameters</h4><ul>" + op.parameters.map((p) => "<li><code>" + esc(p.name) + "</code> (" + esc(p.in) + (p.required ? ", required" : "") + ") " + esc(p.description ?? p.schema?.description) + "</li>").join("") + "</ul>");
      if (op.requestBody) out.push("<h4>Request body</h4>" + (op.requestBody.description ? "<p>" + esc(op.requestBody.description) + "</p>" : "") + Object.entries(op.requestBody.content ?? {}).map(([type, c]) => "<p><code>" + esc(type) + "</code></p>" + json(c.schema)).join(""));
      if (op.responses) out.push("<h4>Responses</h4>" + Object.entries(op.responses).map(([status, r]) => "<p><b>" + esc(status) + "</b> " + esc(r.description) + "</p>" + Object.values(r.content ?? {}).map((c) => json(c.schema)).join("")).join(""));
      out.push("</details>");
    }
  }
  document.getElementById("api").innerHTML = out.join("");
}).catch((e) => { document.getElementById("api").textContent = "Could not load openapi.json: " + e; });
`;

const style = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #1d2430; }
code, pre { font: 13px ui-monospace, monospace; } pre { background: #f4f6f8; padding: .6rem; overflow: auto; max-height: 24rem; }
details { border-bottom: 1px solid #e3e7ec; padding: .4rem 0; } summary { cursor: pointer; }
.m { display: inline-block; min-width: 4.5rem; font-weight: 600; } .get { color: #1b6e3a; } .post { color: #1f4fa3; } .put, .patch { color: #8a5a00; } .delete { color: #a32121; }
nav { margin: 1rem 0; } small { color: #667; font-weight: normal; }
`;

export const referencePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lapwing API reference</title><style>${style}</style></head>
<body><main id="api"><p>Loading the API document (<a href="openapi.json">openapi.json</a>)…</p></main>
<script>${script}</script></body></html>
`;

const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
/** Only this page's own script and style may run; it may fetch only from its own origin. */
export const referencePageCsp = `default-src 'none'; script-src ${hash(script)}; style-src ${hash(style)}; connect-src 'self'`;
