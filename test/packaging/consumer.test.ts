// The packages as a partner gets them: packed with `npm pack` (and `pnpm pack`), installed with
// npm into a throwaway project in the system temp folder (outside the workspace, so nothing
// resolves to packages/*/src), type-checked there with strict settings against the published
// .d.ts files, run in Node from the built JavaScript, and bundled for the browser with esbuild.
// The consumer's code is test/packaging/consumer/*.ts; the same code run on the TypeScript
// sources (imported below) gives the reference values, so this file checks the packaging, not
// the statistics.
//
// Needs the build (`npx --yes pnpm@10.34.9 build`; the README's test command builds first):
// without dist/ the suite is skipped, and its title says so. Needs the npm registry for the
// install of the packages' own dependencies (luxon, proj4, vega, …); the rest is offline.
// Timings and sizes are printed, not asserted (machines differ).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { builtinModules } from "node:module";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import vm from "node:vm";
import { fixturePath, repoRoot } from "../helpers/data.js";
import { summarise, type SixPoints, type Summary } from "./consumer/browser.js";

const PNPM = ["--yes", "pnpm@10.34.9"];
/** Packages meant to run in a browser (the cli reads and writes files). */
const BROWSER_SAFE = ["core", "geo", "trends", "figures"];
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasBrowser = existsSync(chromium);

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  sideEffects?: boolean;
  main?: string;
  types?: string;
  files?: string[];
  exports?: Record<string, unknown>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Every publishable workspace package (packages/* that are not private), by folder. */
const packages = readdirSync(join(repoRoot, "packages"))
  .filter((d) => existsSync(join(repoRoot, "packages", d, "package.json")))
  .map((d) => ({ dir: d, path: join(repoRoot, "packages", d), manifest: JSON.parse(readFileSync(join(repoRoot, "packages", d, "package.json"), "utf8")) as Manifest }))
  .filter((p) => !p.manifest.private)
  .sort((a, b) => (a.dir < b.dir ? -1 : 1));

/** Entry-point files ([where, path]) named by main, types, exports (every condition) and bin. */
function entryPoints(m: Manifest): [string, string][] {
  const out: [string, string][] = [];
  if (m.main) out.push(["main", m.main]);
  if (m.types) out.push(["types", m.types]);
  const walk = (v: unknown, where: string) => {
    if (typeof v === "string") out.push([where, v]);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${where}[${JSON.stringify(k)}]`);
  };
  walk(m.exports, "exports");
  for (const [name, path] of Object.entries(m.bin ?? {})) out.push([`bin.${name}`, path]);
  return out.map(([w, p]) => [w, p.replace(/^\.\//, "")]);
}

const notBuilt = packages.flatMap((p) =>
  entryPoints(p.manifest)
    .filter(([, f]) => f.startsWith("dist/") && !existsSync(join(p.path, f)))
    .map(([, f]) => `packages/${p.dir}/${f}`),
);

if (notBuilt.length > 0) console.warn(`packaging check skipped: ${notBuilt.length} built files missing (${notBuilt[0]}, …); run npx --yes pnpm@10.34.9 build first`);

/** The environment for npm and pnpm: without the npm_config_* a parent `pnpm test` sets (its prefix is the workspace). */
const KEEP_NPM_CONFIG = new Set(["registry", "cache", "userconfig", "globalconfig", "cafile", "ca", "proxy", "https_proxy", "noproxy", "strict_ssl"]);
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => {
    const key = k.toLowerCase();
    if (key.startsWith("npm_config_")) return KEEP_NPM_CONFIG.has(key.slice("npm_config_".length));
    return !/^(npm_(package|lifecycle|command|execpath|node_execpath)|pnpm_)/.test(key);
  }),
) as NodeJS.ProcessEnv;

/** Runs a command, throwing with its output when it fails; returns stdout and the time taken. */
function run(cmd: string, args: string[], cwd: string, timeout = 180_000): { stdout: string; stderr: string; ms: number } {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd, env: childEnv, encoding: "utf8", timeout, maxBuffer: 256 << 20 });
  const ms = performance.now() - started;
  if (r.status !== 0) {
    const why = r.error ? String(r.error) : `exit ${r.status ?? r.signal}`;
    throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}): ${why}\n${r.stderr}\n${r.stdout}`.slice(0, 12_000));
  }
  return { stdout: r.stdout, stderr: r.stderr, ms };
}

/** The files of a .tgz (POSIX ustar with PAX long names, as npm and pnpm write): path → mode and body. */
function untar(file: string): Map<string, { mode: number; body: Buffer }> {
  const buf = gunzipSync(readFileSync(file));
  const out = new Map<string, { mode: number; body: Buffer }>();
  const field = (b: Buffer, start: number, len: number) => b.toString("utf8", start, start + len).replace(/\0[\s\S]*$/, "");
  let longPath: string | undefined;
  for (let off = 0; off + 512 <= buf.length; ) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] || 48);
    const body = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"));
      longPath = m?.[1];
      continue;
    }
    if (type === "g") continue;
    const prefix = field(header, 345, 155);
    const path = longPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longPath = undefined;
    if (type === "0" || type === "\0") out.set(path, { mode: parseInt(field(header, 100, 8).trim() || "0", 8), body: Buffer.from(body) });
  }
  return out;
}

/** Does `version` satisfy the caret range `range` ("^1.2.3", "^0.1.0")? Other range forms are refused. */
function caretSatisfies(range: string, version: string): boolean {
  const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  const v = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m || !v) return false;
  const [a, b, c] = m.slice(1).map(Number);
  const [x, y, z] = v.slice(1).map(Number);
  const atLeast = x > a || (x === a && (y > b || (y === b && z >= c)));
  if (a > 0) return x === a && atLeast;
  if (b > 0) return x === 0 && y === b && z >= c;
  return x === 0 && y === 0 && z === c;
}

/** Bare module specifiers (not relative) imported by an ES module's text. */
function bareImports(code: string): string[] {
  const found = new Set<string>();
  const patterns = [/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']/gm, /^\s*import\s*["']([^"']+)["']/gm, /\bimport\(\s*["']([^"']+)["']\s*\)/g];
  for (const re of patterns) for (const m of code.matchAll(re)) if (!m[1].startsWith(".") && !m[1].startsWith("/")) found.add(m[1]);
  return [...found];
}
const packageOf = (spec: string) => (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
const isBuiltin = (spec: string) => spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0]);

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

describe.skipIf(notBuilt.length > 0)(
  `packed packages in a consumer project${notBuilt.length > 0 ? ` — skipped: not built (${notBuilt.slice(0, 3).join(", ")}${notBuilt.length > 3 ? ", …" : ""}); run npx --yes pnpm@10.34.9 build first` : ""}`,
  () => {
    let root = "";
    let consumer = "";
    const npmPacks = new Map<string, { file: string; size: number; unpackedSize: number; entries: number; tar: Map<string, { mode: number; body: Buffer }> }>();
    let installed = false;
    let compiled = false;
    let nodeSummary: Summary | undefined;
    const march = readFileSync(fixturePath("police-uk", "2021-03-good.csv"), "utf8");
    const april = readFileSync(fixturePath("police-uk", "2021-04-repeat.csv"), "utf8");
    const sixFixture = JSON.parse(readFileSync(fixturePath("geo", "local-stats.json"), "utf8")).six;
    const six: SixPoints = { values: sixFixture.values, x: sixFixture.x, y: sixFixture.y, band: sixFixture.band };
    // The same consumer code on the TypeScript sources: what the built packages must reproduce.
    let reference: Summary;

    beforeAll(() => {
      reference = summarise(march, april, six);
      root = mkdtempSync(join(tmpdir(), "cs-packaging-"));
      consumer = join(root, "consumer");
      mkdirSync(join(root, "npm"));
      mkdirSync(join(root, "pnpm"));
      mkdirSync(join(consumer, "src"), { recursive: true });
      console.log(`packaging check in ${root}`);
    });
    afterAll(() => {
      if (root && !process.env.KEEP_PACKAGING_DIR) rmSync(root, { recursive: true, force: true });
    });

    it("npm pack makes a tarball of each package with real version ranges, every entry point and only its dependencies", () => {
      expect(packages.map((p) => p.dir)).toEqual(expect.arrayContaining(["cli", "core", "geo", "trends"]));
      const versions = new Map(packages.map((p) => [p.manifest.name, p.manifest.version]));
      const lines: string[] = [];
      for (const p of packages) {
        const r = run("npm", ["pack", "--json", "--pack-destination", join(root, "npm")], p.path);
        const info = JSON.parse(r.stdout)[0] as { filename: string; size: number; unpackedSize: number; entryCount: number };
        const file = join(root, "npm", info.filename.replace(/^@/, "").replace(/\//g, "-"));
        const tar = untar(file);
        npmPacks.set(p.dir, { file, size: info.size, unpackedSize: info.unpackedSize, entries: info.entryCount, tar });
        lines.push(`${p.manifest.name.padEnd(28)} ${kb(info.size).padStart(9)} packed ${kb(info.unpackedSize).padStart(10)} unpacked ${String(info.entryCount).padStart(4)} files  (${r.ms.toFixed(0)} ms)`);

        const m = JSON.parse(tar.get("package/package.json")!.body.toString("utf8")) as Manifest;
        expect(m.name).toBe(p.manifest.name);
        expect(m.type, m.name).toBe("module");
        expect(m.sideEffects, m.name).toBe(false);
        // Sibling ranges are real semver ranges that the sibling's current version satisfies.
        for (const field of ["dependencies", "peerDependencies", "optionalDependencies"] as const) {
          for (const [dep, range] of Object.entries(m[field] ?? {})) {
            expect(range, `${m.name} ${field}.${dep}`).not.toMatch(/^workspace:/);
            if (versions.has(dep)) expect(caretSatisfies(range, versions.get(dep)!), `${m.name} ${field}.${dep} "${range}" must accept ${dep}@${versions.get(dep)}`).toBe(true);
          }
        }
        // Entry points: source condition first (the tests resolve through it), then types before default.
        const dot = m.exports!["."] as Record<string, string>;
        expect(Object.keys(dot), m.name).toEqual(["community-safety-source", "types", "default"]);
        for (const [where, path] of entryPoints(m)) expect(tar.has(`package/${path}`), `${m.name} ${where} → ${path} is in the tarball`).toBe(true);
        for (const path of Object.values(m.bin ?? {})) expect(tar.get(`package/${path.replace(/^\.\//, "")}`)!.mode & 0o111, `${m.name} bin ${path} is executable`).not.toBe(0);
        // Only what a consumer needs: built files, sources (for the source maps), the bin, docs.
        const stray = [...tar.keys()].filter((f) => !/^package\/(dist|src|bin)\//.test(f) && !/^package\/(package\.json|README\.md|LICENSE(\.md)?)$/i.test(f));
        expect(stray, m.name).toEqual([]);
        // Every package the built JavaScript imports is a declared dependency (or a Node built-in).
        const declared = new Set([m.name, ...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})]);
        const undeclared = new Set<string>();
        for (const [path, { body }] of tar) {
          if (!/^package\/dist\/.*\.(js|d\.ts)$/.test(path)) continue;
          for (const spec of bareImports(body.toString("utf8"))) if (!isBuiltin(spec) && !declared.has(packageOf(spec))) undeclared.add(`${packageOf(spec)} (${path.slice(8)})`);
        }
        expect([...undeclared], `${m.name} imports packages it does not declare`).toEqual([]);
      }
      console.log(`npm pack:\n  ${lines.join("\n  ")}`);
    });

    it("pnpm pack (what pnpm publish uploads) gives the same package.json fields and files as npm pack", () => {
      expect(npmPacks.size).toBe(packages.length);
      const r = run("npx", [...PNPM, ...packages.flatMap((p) => ["--filter", p.manifest.name]), "-r", "pack", "--pack-destination", join(root, "pnpm")], repoRoot);
      console.log(`pnpm pack: ${packages.length} packages in ${r.ms.toFixed(0)} ms`);
      const fields = ["name", "version", "type", "sideEffects", "main", "types", "exports", "bin", "engines", "dependencies", "peerDependencies", "optionalDependencies"] as const;
      for (const p of packages) {
        const npm = npmPacks.get(p.dir)!;
        const file = join(root, "pnpm", npm.file.slice(join(root, "npm").length + 1));
        expect(existsSync(file), `pnpm pack wrote ${file}`).toBe(true);
        const tar = untar(file);
        const a = JSON.parse(npm.tar.get("package/package.json")!.body.toString("utf8"));
        const b = JSON.parse(tar.get("package/package.json")!.body.toString("utf8"));
        for (const f of fields) expect(b[f], `${p.manifest.name} ${f}`).toEqual(a[f]);
        expect([...tar.keys()].sort(), p.manifest.name).toEqual([...npm.tar.keys()].sort());
      }
    });

    it("npm installs the tarballs into a project outside the workspace, with one copy of each package", () => {
      expect(npmPacks.size).toBe(packages.length);
      expect(relative(repoRoot, consumer).startsWith("..")).toBe(true);
      writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "cs-consumer", version: "1.0.0", private: true, type: "module" }, null, 2));
      const tarballs = [...npmPacks.values()].map((t) => t.file);
      const r = run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...tarballs], consumer, 540_000);
      const all = run("npm", ["ls", "--all", "--parseable"], consumer).stdout.trim().split("\n");
      console.log(`npm install of ${tarballs.length} tarballs: ${(r.ms / 1000).toFixed(1)} s, ${all.length - 1} packages installed`);
      for (const p of packages) {
        const dir = join(consumer, "node_modules", ...p.manifest.name.split("/"));
        expect(lstatSync(dir).isSymbolicLink(), `${dir} is a real folder`).toBe(false);
        // Exactly one copy: geo's, trends' and the cli's "^0.1.0" all take the installed tarball.
        expect(all.filter((line) => line.split(sep).join("/").endsWith(`/node_modules/${p.manifest.name}`)), p.manifest.name).toEqual([dir]);
      }
      for (const p of packages) for (const name of Object.keys(p.manifest.bin ?? {})) expect(existsSync(join(consumer, "node_modules", ".bin", name)), `bin ${name}`).toBe(true);
      installed = true;
    }, 600_000);

    it("type-checks a strict TypeScript consumer against the published .d.ts files (NodeNext and Bundler resolution, with and without the DOM lib)", () => {
      expect(installed).toBe(true);
      for (const f of ["browser.ts", "node.ts"]) copyFileSync(join(repoRoot, "test", "packaging", "consumer", f), join(consumer, "src", f));
      copyFileSync(join(repoRoot, "test", "packaging", "consumer", "smoke.mjs"), join(consumer, "smoke.mjs"));
      // skipLibCheck off: the published .d.ts files themselves are checked, with the DOM lib (the
      // default when `lib` is not set) because they name the Web Crypto `CryptoKey`. The third
      // config is a Node project without the DOM lib (as @tsconfig/node20 sets it up), with the
      // skipLibCheck such setups use.
      const base = { target: "ES2022", strict: true, skipLibCheck: false, types: [], lib: ["ES2022", "DOM"], rootDir: "src", isolatedModules: true, verbatimModuleSyntax: true };
      const configs = {
        "tsconfig.json": { ...base, module: "NodeNext", moduleResolution: "NodeNext", outDir: "out" },
        "tsconfig.bundler.json": { ...base, module: "ESNext", moduleResolution: "Bundler", noEmit: true },
        "tsconfig.node-no-dom.json": { ...base, lib: ["ES2022"], skipLibCheck: true, module: "NodeNext", moduleResolution: "NodeNext", noEmit: true },
      };
      for (const [file, compilerOptions] of Object.entries(configs)) writeFileSync(join(consumer, file), JSON.stringify({ compilerOptions, include: ["src"] }, null, 2));
      const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
      for (const config of Object.keys(configs)) {
        const r = run(process.execPath, [tsc, "-p", config, "--listFiles"], consumer);
        const files = r.stdout.trim().split("\n").map((f) => f.split(sep).join("/"));
        // The types come from the installed tarballs, never from the workspace.
        expect(files.filter((f) => f.startsWith(repoRoot.split(sep).join("/") + "/packages/")), config).toEqual([]);
        for (const p of packages) {
          if (p.dir === "cli" || p.dir === "core" || p.dir === "geo" || p.dir === "trends") {
            expect(files.some((f) => f.endsWith(`/node_modules/${p.manifest.name}/dist/index.d.ts`)), `${config}: ${p.manifest.name} types`).toBe(true);
          }
        }
        console.log(`tsc -p ${config}: ${files.length} files checked in ${(r.ms / 1000).toFixed(1)} s`);
      }
      expect(existsSync(join(consumer, "out", "browser.js"))).toBe(true);
      compiled = true;
    });

    it("runs the built JavaScript in Node: police.uk rows, levels, change, streets, series, STL, Gi* and assess", () => {
      expect(compiled).toBe(true);
      const out = join(root, "report");
      const r = run(process.execPath, ["smoke.mjs", join(repoRoot, "test", "fixtures"), out], consumer);
      const result = JSON.parse(r.stdout) as { summary: Summary; assessed: { total: number; report: string; files: string[] }; resolved: Record<string, string>; ms: number };
      // Every import resolved to the consumer's own installed, built copy.
      for (const [spec, url] of Object.entries(result.resolved)) {
        expect(url, spec).toMatch(/\/dist\/[\w-]+\.js$/);
        expect(url.startsWith(`file://${consumer}/node_modules/`), `${spec} → ${url}`).toBe(true);
      }
      const s = result.summary;
      // 2021-03-good.csv: 4 rows, one each of four categories (see test/core/police-uk.test.ts).
      expect(s.rows).toBe(4);
      expect(s.total).toBe(4);
      expect(Object.fromEntries(Object.entries(s.counts).filter(([, n]) => n > 0))).toEqual({ "anti-social-behaviour": 1, burglary: 1, "violent-crime": 1, shoplifting: 1 });
      expect(s.categories).toEqual(["anti-social-behaviour", "burglary", "violent-crime", "shoplifting"]);
      expect(s.errorCode).toBe("invalid-option");
      expect(s.stlClosure).toBeLessThan(1e-9);
      // esda docs (getisord.py, G_Local example): lg_star.Zs
      [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331].forEach((z, i) => expect(s.giStarZ[i]).toBeCloseTo(z, 8));
      // And everything equals the same code run on the TypeScript sources.
      expect(s).toEqual(JSON.parse(JSON.stringify(reference)));
      expect(result.assessed.total).toBe(reference.monthly.reduce((a, b) => a + b, 0));
      expect(result.assessed.report).toBe(join(out, "report.html"));
      expect(readFileSync(result.assessed.report, "utf8")).toMatch(/^<!doctype html>/i);
      nodeSummary = s;
      // The installed command starts.
      const help = run(join(consumer, "node_modules", ".bin", "community-safety"), ["assess", "--help"], consumer);
      expect(help.stdout.split("\n")[0]).toBe("Usage: community-safety assess [options]");
      console.log(`node smoke script: ${(r.ms / 1000).toFixed(1)} s (of which the API calls ${(result.ms / 1000).toFixed(1)} s); community-safety assess --help ${help.ms.toFixed(0)} ms`);
    });

    describe("browser bundle (esbuild, platform browser)", () => {
      const present = () => BROWSER_SAFE.filter((d) => packages.some((p) => p.dir === d));
      let iife = "";

      it("bundles the consumer module from the tarballs' dist with no node: imports and no Node entry point", async () => {
        expect(compiled).toBe(true);
        const { build } = await import("esbuild");
        const started = performance.now();
        const r = await build({
          entryPoints: [join(consumer, "src", "browser.ts")],
          absWorkingDir: consumer,
          bundle: true,
          platform: "browser",
          format: "iife",
          globalName: "consumer",
          target: "es2022",
          write: false,
          metafile: true,
          logLevel: "silent",
        });
        const ms = performance.now() - started;
        iife = r.outputFiles[0].text;
        const inputs = Object.keys(r.metafile.inputs);
        const ours = inputs.filter((f) => f.includes("@community-safety/"));
        expect(ours.length).toBeGreaterThan(0);
        for (const f of ours) expect(f, "resolved to a built file of an installed tarball").toMatch(/^node_modules\/@community-safety\/[\w-]+\/dist\//);
        expect(inputs.filter((f) => f.startsWith("..") || f.startsWith("/")), "nothing from outside the consumer project").toEqual([]);
        expect(ours.filter((f) => f.endsWith("core/dist/node.js"))).toEqual([]);
        expect(iife).not.toMatch(/["']node:/);
        expect(iife).not.toMatch(/\brequire\(\s*["']/);
        const min = await build({ entryPoints: [join(consumer, "src", "browser.ts")], absWorkingDir: consumer, bundle: true, platform: "browser", format: "iife", globalName: "consumer", target: "es2022", write: false, minify: true, logLevel: "silent" });
        const minified = min.outputFiles[0].contents;
        console.log(`esbuild browser bundle (core, geo, trends as the consumer uses them): ${kb(iife.length)}, minified ${kb(minified.length)}, gzipped ${kb(gzipSync(minified).length)}; ${inputs.length} modules in ${ms.toFixed(0)} ms`);

        // Each browser-safe package imported whole (no tree shaking) also bundles for the browser.
        const whole = present().map((d) => packages.find((p) => p.dir === d)!.manifest.name);
        const all = await build({
          stdin: { contents: whole.map((n, i) => `import * as p${i} from "${n}";\nconsole.log(p${i});`).join("\n"), resolveDir: consumer, loader: "js" },
          absWorkingDir: consumer,
          bundle: true,
          platform: "browser",
          format: "esm",
          write: false,
          minify: true,
          logLevel: "silent",
        });
        const allText = all.outputFiles[0].text;
        expect(allText).not.toMatch(/["']node:/);
        console.log(`esbuild browser bundle of all of ${whole.join(", ")}: minified ${kb(allText.length)}, gzipped ${kb(gzipSync(allText).length)}`);
      });

      it("tree-shakes (sideEffects: false): levels alone bundles smaller than all of core", async () => {
        const { build } = await import("esbuild");
        const size = async (contents: string) => {
          const r = await build({ stdin: { contents, resolveDir: consumer, loader: "js" }, absWorkingDir: consumer, bundle: true, platform: "browser", format: "esm", minify: true, write: false, logLevel: "silent" });
          return r.outputFiles[0].contents.length;
        };
        const one = await size(`import { levels } from "@community-safety/core";\nconsole.log(levels);`);
        const whole = await size(`import * as core from "@community-safety/core";\nconsole.log(core);`);
        console.log(`tree shaking: { levels } ${kb(one)} minified, all of core ${kb(whole)}`);
        expect(one).toBeLessThan(whole);
      });

      it("runs in a bare vm context (no require, process or Buffer) and gives the Node results", () => {
        expect(iife).not.toBe("");
        const context = vm.createContext({ console, TextDecoder, TextEncoder, march, april, six });
        const started = performance.now();
        const json = vm.runInContext(`${iife}\nJSON.stringify(consumer.summarise(march, april, six));`, context) as string;
        console.log(`vm context run: ${(performance.now() - started).toFixed(0)} ms`);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(nodeSummary ?? reference)));
      });

      it.skipIf(!hasBrowser)(`runs in headless Chromium with no network requests${hasBrowser ? "" : ` — skipped: no Chromium at ${chromium} (apt-get install chromium)`}`, async () => {
        expect(iife).not.toBe("");
        const puppeteer = (await import("puppeteer-core")).default;
        const started = performance.now();
        const browser = await puppeteer.launch({ executablePath: chromium, args: ["--no-sandbox"], headless: true });
        try {
          const page = await browser.newPage();
          const requests: string[] = [];
          const errors: string[] = [];
          page.on("request", (q) => requests.push(q.url()));
          page.on("pageerror", (e) => errors.push(String(e)));
          await page.setContent("<!doctype html><title>consumer</title>");
          await page.addScriptTag({ content: iife });
          const json = await page.evaluate((m, a, s) => JSON.stringify((globalThis as unknown as { consumer: { summarise: typeof summarise } }).consumer.summarise(m, a, s)), march, april, six);
          expect(errors).toEqual([]);
          expect(requests.filter((u) => !u.startsWith("about:") && !u.startsWith("data:"))).toEqual([]);
          expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(nodeSummary ?? reference)));
        } finally {
          await browser.close();
        }
        console.log(`headless Chromium run (launch included): ${(performance.now() - started).toFixed(0)} ms`);
      });
    });
  },
);
