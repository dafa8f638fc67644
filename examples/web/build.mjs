// Builds the in-browser assessment page: one bundled script (no network at run time) beside
// index.html in the output folder. Usage: node examples/web/build.mjs [outdir] (default examples/web/dist).
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, "dist"));
await mkdir(out, { recursive: true });
const result = await build({
  entryPoints: [join(here, "main.ts")],
  bundle: true,
  format: "iife", // a classic script: module scripts are refused on file:// pages
  platform: "browser",
  target: "chrome110",
  conditions: ["community-safety-source"],
  minify: true,
  outfile: join(out, "main.js"),
  metafile: true,
  logLevel: "warning",
});
await copyFile(join(here, "index.html"), join(out, "index.html"));
const bytes = Object.values(result.metafile.outputs).reduce((a, o) => a + o.bytes, 0);
console.log(`built ${join(out, "index.html")} and main.js (${(bytes / 1e6).toFixed(2)} MB)`);
