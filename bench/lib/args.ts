/**
 * What the ingestion benches share before they start: a garbage collector they can call (the
 * script re-executes itself under `node --expose-gc` when it has none), and their arguments.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * `global.gc`, re-executing the script at `scriptUrl` (its `import.meta.url`) under
 * `node --expose-gc --max-old-space-size=16000` with tsx and the sources' condition when the
 * collector is not exposed; the re-executed script's exit code ends this process.
 */
export function exposedGc(scriptUrl: string): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === "function") return gc;
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const flags = ["--expose-gc", "--max-old-space-size=16000", "--conditions=community-safety-source", "--import", "tsx"];
  const r = spawnSync(process.execPath, [...flags, fileURLToPath(scriptUrl), ...process.argv.slice(2)], { stdio: "inherit", cwd: root });
  process.exit(r.status ?? 1);
}

/**
 * The command line: sizes (bare numbers, such as `1e6`; default 1e6 and 1e7), the values of the
 * `valued` options (`--runs 3`), and whether a flag is present (`has("--keep")`).
 * @throws Error when a size is not a positive integer.
 */
export function benchArgs(valued: readonly string[], argv = process.argv.slice(2)): { sizes: number[]; value: (name: string) => string | undefined; has: (flag: string) => boolean } {
  const names = new Set(valued);
  const values = new Map<string, string>();
  const sizes: number[] = [];
  for (let k = 0; k < argv.length; ++k) {
    if (names.has(argv[k])) values.set(argv[k], argv[++k]);
    else if (!argv[k].startsWith("--")) sizes.push(Number(argv[k]));
  }
  if (sizes.length === 0) sizes.push(1e6, 1e7);
  if (!sizes.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`sizes must be positive integers, got ${argv.join(" ")}`);
  return { sizes, value: (name) => values.get(name), has: (flag) => argv.includes(flag) };
}
