#!/usr/bin/env node
// Run as each package's `prepack` script (npm pack, pnpm pack, npm/pnpm publish), in the
// package's folder. Refuses to pack a package a consumer could not install or import:
//   - a `workspace:` range (npm pack ships it verbatim; only pnpm rewrites it);
//   - an entry point (main, types, exports, bin) whose file is missing — usually "not built";
//   - an entry point outside the `files` list, so it would be left out of the tarball;
//   - a stale build: dist/x.js with no src/x.ts (a module renamed or deleted since the last
//     build would ship), or src/x.ts with no dist/x.js (a partial build).
// Prints nothing when the package is fine (npm pack --json reads stdout).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const problems = [];

for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
  for (const [name, range] of Object.entries(pkg[field] ?? {})) {
    if (String(range).startsWith("workspace:")) problems.push(`${field}.${name} is "${range}": npm pack would ship it as is; declare a real range such as "^${pkg.version}"`);
  }
}

/** Every file path an entry point names: [where, path]. */
const entries = [];
if (pkg.main) entries.push(["main", pkg.main]);
if (pkg.types) entries.push(["types", pkg.types]);
const walkExports = (value, where) => {
  if (typeof value === "string") entries.push([where, value]);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walkExports(v, `${where}[${JSON.stringify(k)}]`);
};
walkExports(pkg.exports, "exports");
const bins = typeof pkg.bin === "string" ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {});
for (const [name, path] of Object.entries(bins)) entries.push([`bin.${name}`, path]);

const files = (pkg.files ?? []).map((f) => f.replace(/^\.\//, "").replace(/\/$/, ""));
const shipped = (path) => path === "package.json" || files.length === 0 || files.some((f) => path === f || path.startsWith(`${f}/`));
for (const [where, path] of entries) {
  const clean = path.replace(/^\.\//, "");
  if (!existsSync(join(dir, clean))) problems.push(`${where} names ${path}, which does not exist${clean.startsWith("dist/") ? " (run the build first: npx --yes pnpm@10.34.9 build)" : ""}`);
  else if (!shipped(clean)) problems.push(`${where} names ${path}, which is not in "files"`);
}

/** Relative paths (with /) of the files under `root` whose names end with `ext`. */
const list = (root, ext) => {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) out.push(relative(root, p).split(sep).join("/"));
    }
  };
  if (existsSync(root)) walk(root);
  return out;
};
if (existsSync(join(dir, "src")) && existsSync(join(dir, "dist"))) {
  const sources = new Set(list(join(dir, "src"), ".ts").filter((f) => !f.endsWith(".d.ts")).map((f) => f.slice(0, -3)));
  const built = new Set(list(join(dir, "dist"), ".js").map((f) => f.slice(0, -3)));
  for (const f of built) if (!sources.has(f)) problems.push(`dist/${f}.js has no src/${f}.ts: a stale build (delete dist and build again)`);
  for (const f of sources) if (!built.has(f)) problems.push(`src/${f}.ts has no dist/${f}.js: the build is incomplete`);
}

if (problems.length > 0) {
  console.error(`${pkg.name}: not packable\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
