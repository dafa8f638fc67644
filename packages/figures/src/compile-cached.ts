import * as vega from "vega";
import * as vl from "vega-lite";

/** A compiled Vega spec (kept loose, as Vega-Lite returns it). */
type VegaSpec = Record<string, unknown>;

/** Marks a slot in a spec's skeleton: the inline rows taken out, their place kept. */
const SLOT = "__communitySafetySlot";

/**
 * A cached skeleton: its Vega-Lite compilation and, once asked for ({@link parseCached}), Vega's
 * parse of that (the dataflow description a View is built from); `null` where the rows could not
 * be put back.
 */
interface Entry {
  readonly spec: VegaSpec;
  runtime?: vega.Runtime | null;
}

/** Cached compilations, by skeleton; `null` for a skeleton whose rows could not be put back. */
const cache = new Map<string, Entry | null>();
/** At most this many skeletons kept (the oldest dropped first): a few MB. */
const CACHE_SIZE = 256;

let hits = 0;
let misses = 0;

/**
 * Vega-Lite's compilation of `spec`, reusing an earlier compilation of the same chart with other
 * rows. Compiling does not read inline rows (it copies them into the Vega spec's data), so a spec
 * whose `data.values` rows are taken out (its skeleton: marks, encodings, scales, titles, config)
 * compiles to the same Vega spec as any other spec with that skeleton, rows apart. `assess
 * --all-areas` draws the same charts for hundreds of areas: compiling each skeleton once saves
 * Vega-Lite's per-compile work (config normalisation, model building, assembly), a third of a
 * figure's time.
 *
 * Only arrays of objects are taken out (Vega-Lite wraps primitive rows as `{ data: v }`, and an
 * empty array stays in the skeleton); the skeleton's compilation is used only when each slot
 * comes back exactly once in the Vega spec, otherwise the spec is compiled as it is. The rows
 * are put back by reference, not copied. Nothing in the input is mutated.
 */
export function compileCached(spec: Record<string, unknown>): VegaSpec {
  const found = lookup(spec);
  return found ? (putRows(found.entry.spec, found.rows) as VegaSpec) : compileVegaLite(spec);
}

/**
 * Vega's parse of the Vega-Lite `spec` (the runtime description a `vega.View` is built from),
 * reusing the parse of an earlier spec with the same skeleton as {@link compileCached} reuses its
 * compilation. Parsing (operators, scales, signals, mark encoders) does not read inline rows
 * either: it hands them on as they are (a collect operator's `$ingest`), so the skeleton's parse
 * with the rows put back is the spec's parse. On top of the compile cache this saves Vega's
 * parse, about a fifth of drawing a report's figures (README, national scale). The skeleton's
 * parse is used only when each slot comes back exactly once in it; otherwise the spec is parsed
 * as it is. Each call returns a fresh copy (a View may mutate what it is given), rows apart.
 */
export function parseCached(spec: Record<string, unknown>): vega.Runtime {
  const found = lookup(spec);
  if (!found) return vega.parse(compileVegaLite(spec) as vega.Spec);
  const { entry, rows } = found;
  if (entry.runtime === undefined) {
    // Parsed from a copy: the cached compilation stays as Vega-Lite made it.
    const runtime = vega.parse(putRows(entry.spec, []) as vega.Spec);
    const seen = new Array<number>(rows.length).fill(0);
    countSlots(runtime, seen);
    entry.runtime = seen.every((n) => n === 1) ? runtime : null;
  }
  return entry.runtime ? (putRows(entry.runtime, rows) as vega.Runtime) : vega.parse(putRows(entry.spec, rows) as vega.Spec);
}

/** The cache entry for `spec`'s skeleton (compiled on first sight) and its rows; `null` when it has no rows to take out or its compilation cannot take them back. */
function lookup(spec: Record<string, unknown>): { entry: Entry; rows: unknown[][] } | null {
  const rows: unknown[][] = [];
  const skeleton = takeRows(spec, rows) as Record<string, unknown>;
  if (rows.length === 0) return null;
  const key = JSON.stringify(skeleton);
  let entry = cache.get(key);
  if (entry === undefined) {
    misses += 1;
    const compiled = compileVegaLite(skeleton);
    const found = new Array<number>(rows.length).fill(0);
    countSlots(compiled, found);
    entry = found.every((n) => n === 1) ? { spec: compiled } : null;
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, entry);
  } else hits += 1;
  return entry ? { entry, rows } : null;
}

/** Compilations reused and made since the process started (or the last {@link clearCompileCache}). */
export function compileCacheStats(): { hits: number; misses: number; size: number } {
  return { hits, misses, size: cache.size };
}

/** Empties the compilation cache and its counts. */
export function clearCompileCache(): void {
  cache.clear();
  hits = 0;
  misses = 0;
}

/** Vega-Lite's compilation of `spec`, as it is (no cache). */
export function compileVegaLite(spec: Record<string, unknown>): VegaSpec {
  return vl.compile(spec as unknown as vl.TopLevelSpec).spec as unknown as VegaSpec;
}

/** A copy of `v` with each `data.values` array of objects replaced by a slot (its rows pushed onto `rows`). */
function takeRows(v: unknown, rows: unknown[][]): unknown {
  if (Array.isArray(v)) return v.map((x) => takeRows(x, rows));
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k === "data" && typeof x === "object" && x !== null && !Array.isArray(x)) {
      const values = (x as { values?: unknown }).values;
      if (Array.isArray(values) && values.length > 0 && values.every(isRow)) {
        out[k] = { ...x, values: [{ [SLOT]: rows.length }] };
        rows.push(values);
        continue;
      }
      // Other data (an empty array, primitives, a FeatureCollection object, a URL) stays in the skeleton.
      out[k] = x;
      continue;
    }
    out[k] = takeRows(x, rows);
  }
  return out;
}

function isRow(x: unknown): boolean {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** The slot number if `v` is a slot (`[{ [SLOT]: k }]`), else -1. */
function slotOf(v: unknown): number {
  if (!Array.isArray(v) || v.length !== 1) return -1;
  const o = v[0] as Record<string, unknown> | null;
  if (typeof o !== "object" || o === null) return -1;
  const k = o[SLOT];
  return typeof k === "number" && Object.keys(o).length === 1 ? k : -1;
}

function countSlots(v: unknown, found: number[]): void {
  const k = slotOf(v);
  if (k >= 0) {
    if (k < found.length) found[k] += 1;
    return;
  }
  if (Array.isArray(v)) for (const x of v) countSlots(x, found);
  else if (typeof v === "object" && v !== null) for (const x of Object.values(v)) countSlots(x, found);
}

/** A copy of the compiled skeleton with each slot replaced by its rows (by reference); a slot with no rows given stays a slot. */
function putRows(v: unknown, rows: unknown[][]): unknown {
  const k = slotOf(v);
  if (k >= 0 && k < rows.length) return rows[k];
  if (Array.isArray(v)) return v.map((x) => putRows(x, rows));
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [key, x] of Object.entries(v as Record<string, unknown>)) out[key] = putRows(x, rows);
  return out;
}
