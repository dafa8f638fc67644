import * as vega from "vega";
import * as vl from "vega-lite";

/** A compiled Vega spec (kept loose, as Vega-Lite returns it). */
type VegaSpec = Record<string, unknown>;

/** Marks a slot in a spec's skeleton: the inline rows taken out, their place kept. */
const SLOT = "__communitySafetySlot";
/** Marks a value slot: a chart value taken out (a title, a size, a scale's domain or range number). */
const VALUE = "__communitySafetyValue";
/** Beside {@link VALUE}: the value goes back as an expression literal (its JSON text). */
const LITERAL = "__communitySafetyLiteral";

/** `v` as an expression literal, as Vega writes one (JSON, with U+2028 and U+2029 escaped). */
function literal(v: string | number): string {
  return typeof v === "number" ? String(v) : JSON.stringify(v).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * A cached skeleton: its Vega-Lite compilation and, once asked for ({@link parseCached}), Vega's
 * parse of that (the dataflow description a View is built from), as templates with the slots
 * still in them; `null` where the rows or values could not be put back.
 */
interface Entry {
  readonly spec: Template;
  runtime?: Template | null;
}

/** A compiled or parsed skeleton as JSON text, and where its slots are (copied by one `JSON.parse`, then filled). */
interface Template {
  readonly json: string;
  readonly holes: readonly Hole[];
}

/** A slot's place in a template: a row slot (`row`) or a value slot (`value`, as an expression literal with `literal`). */
interface Hole {
  readonly path: readonly (string | number)[];
  readonly row?: number;
  readonly value?: number;
  readonly literal?: boolean;
}

/** What a spec's skeleton leaves out: its rows and its chart values, in slot order. */
interface Slots {
  readonly rows: unknown[][];
  readonly values: (string | number)[];
}

/** A skeleton seen once: compiled as it was (a template is made when it comes again). */
const SEEN = "seen once";
/** Cached compilations, by skeleton; `null` for a skeleton whose rows or values could not be put back. */
const cache = new Map<string, Entry | typeof SEEN | null>();
/** At most this many skeletons kept (the oldest dropped first): a few MB. */
const CACHE_SIZE = 256;

let hits = 0;
let misses = 0;

/**
 * Vega-Lite's compilation of `spec`, reusing an earlier compilation of the same chart with other
 * rows. Compiling does not read inline rows (it copies them into the Vega spec's data), so a spec
 * whose `data.values` rows are taken out (its skeleton: marks, encodings, scales, config)
 * compiles to the same Vega spec as any other spec with that skeleton, rows apart. `assess
 * --all-areas` draws the same charts for hundreds of areas: compiling each skeleton once saves
 * Vega-Lite's per-compile work (config normalisation, model building, assembly), a third of a
 * figure's time.
 *
 * Only arrays of objects are taken out (Vega-Lite wraps primitive rows as `{ data: v }`, and an
 * empty array stays in the skeleton); the skeleton's compilation is used only when each slot
 * comes back exactly once in the Vega spec, otherwise the spec is compiled as it is. The rows
 * are put back by reference, not copied. Nothing in the input is mutated.
 *
 * Some chart values differ from area to area where the chart does not: the title's text, the
 * width and height, and the numbers of a scale's `domain` and `range` (a map's frame). They are
 * taken out too, so one area's map reuses another's compilation, but only where Vega-Lite hands
 * them on unchanged: the skeleton is compiled twice, with two sets of stand-in values, and its
 * compilation is used only when the two agree everywhere but at those values (a value Vega-Lite
 * computes with, or writes into an expression, makes them differ).
 */
export function compileCached(spec: Record<string, unknown>): VegaSpec {
  const found = lookup(spec);
  return found ? (fill(found.entry.spec, found.slots) as VegaSpec) : compileVegaLite(spec);
}

/**
 * Vega's parse of the Vega-Lite `spec` (the runtime description a `vega.View` is built from),
 * reusing the parse of an earlier spec with the same skeleton as {@link compileCached} reuses its
 * compilation. Parsing (operators, scales, signals, mark encoders) does not read inline rows
 * either: it hands them on as they are (a collect operator's `$ingest`), so the skeleton's parse
 * with the rows put back is the spec's parse; chart values are checked as for the compilation
 * (two parses with two sets of stand-ins must agree but at them). On top of the compile cache
 * this saves Vega's parse (README, national scale). Otherwise the spec is parsed as it is. Each
 * call returns a fresh copy (one `JSON.parse` of the cached template: a View may mutate what it
 * is given), rows apart.
 */
export function parseCached(spec: Record<string, unknown>): vega.Runtime {
  const found = lookup(spec);
  if (!found) return vega.parse(compileVegaLite(spec) as vega.Spec);
  const { entry, slots } = found;
  // Parsed from copies: the cached compilation stays as Vega-Lite made it. (`null` is a parse
  // that cannot be reused: checked once, not again on every call.)
  if (entry.runtime === undefined) entry.runtime = checkedTemplate(slots, (values) => vega.parse(fill(entry.spec, { rows: [], values }) as vega.Spec) as unknown as VegaSpec);
  return entry.runtime ? (fill(entry.runtime, slots) as vega.Runtime) : vega.parse(fill(entry.spec, slots) as vega.Spec);
}

/** The cache entry for `spec`'s skeleton (made on its second sight) and its slots; `null` on its first sight, or when it has no rows to take out or its compilation cannot take its slots back. */
function lookup(spec: Record<string, unknown>): { entry: Entry; slots: Slots } | null {
  const slots: Slots = { rows: [], values: [] };
  const skeleton = takeSlots(spec, slots, "", "") as Record<string, unknown>;
  if (slots.rows.length === 0) return null;
  const key = JSON.stringify(skeleton);
  let entry = cache.get(key);
  if (entry === undefined || entry === SEEN) {
    misses += 1;
    // A chart drawn once (one report) is compiled as it is; the template, which costs two
    // compilations (and later two parses), is made only for a skeleton that comes again.
    if (entry === undefined) {
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!); // only a new key grows the cache
      cache.set(key, SEEN);
      return null;
    }
    const bare = template(skeleton);
    const compiled = checkedTemplate(slots, (values) => compileVegaLite(fill(bare, { rows: [], values }) as Record<string, unknown>));
    entry = compiled ? { spec: compiled } : null;
    cache.set(key, entry);
  } else hits += 1;
  return entry ? { entry, slots } : null;
}

/**
 * `make` run on stand-in values (rows stay slots) with each stand-in turned back into its value
 * slot; `null` unless every row slot comes back exactly once and, with value slots, a second run
 * on other stand-ins gives the same template (so each value is handed on, not computed with).
 */
function checkedTemplate(slots: Slots, make: (values: (string | number)[]) => VegaSpec): Template | null {
  const a = standIns(slots.values, 0);
  const t = template(valueSlots(make(a), a));
  const found = new Array<number>(slots.rows.length).fill(0);
  for (const h of t.holes) if (h.row !== undefined && h.row < found.length) found[h.row] += 1;
  if (!found.every((n) => n === 1)) return null;
  if (slots.values.length === 0) return t;
  const b = standIns(slots.values, 1);
  return JSON.stringify(valueSlots(make(b), b)) === t.json ? t : null;
}

/** Stand-ins for chart values, unlike any real one and unlike the other set's: a string for a string, a number for a number. */
function standIns(values: readonly (string | number)[], set: 0 | 1): (string | number)[] {
  return values.map((v, k) => (typeof v === "string" ? `\u0001stand-in ${set}.${k}\u0001` : (set === 0 ? 1_234_567.125 : 7_654_321.375) + 2 * k));
}

/**
 * A copy of `v` with each leaf equal to a stand-in replaced by its value slot, and each string
 * that is a stand-in written as an expression literal (Vega's parse writes a title's text into
 * its encoder as `"\"…\""`) by a literal slot.
 */
function valueSlots(v: unknown, standIn: readonly (string | number)[]): VegaSpec {
  const index = new Map(standIn.map((s, k) => [s, k]));
  const literals = new Map(standIn.map((s, k) => [literal(s), k]));
  const walk = (x: unknown): unknown => {
    if (typeof x === "string" || typeof x === "number") {
      const k = index.get(x);
      if (k !== undefined) return { [VALUE]: k };
      const j = typeof x === "string" ? literals.get(x) : undefined;
      return j === undefined ? x : { [VALUE]: j, [LITERAL]: true };
    }
    if (Array.isArray(x)) return x.map(walk);
    if (typeof x !== "object" || x === null) return x;
    const out: Record<string, unknown> = {};
    for (const [key, y] of Object.entries(x as Record<string, unknown>)) out[key] = walk(y);
    return out;
  };
  return walk(v) as VegaSpec;
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

/**
 * A copy of `v` with each `data.values` array of objects replaced by a row slot (its rows pushed
 * onto `slots.rows`), and the chart values that differ between areas replaced by value slots:
 * the top-level title's text (a non-empty string), width and height, and the finite numbers of
 * an encoding scale's `domain` and `range` arrays.
 */
function takeSlots(v: unknown, slots: Slots, key: string, parentKey: string, top = true): unknown {
  if (Array.isArray(v)) {
    const numbers = (key === "domain" || key === "range") && parentKey === "scale";
    return v.map((x) => (numbers && typeof x === "number" && Number.isFinite(x) ? valueSlot(x, slots) : takeSlots(x, slots, "", key, false)));
  }
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k === "data" && typeof x === "object" && x !== null && !Array.isArray(x)) {
      const values = (x as { values?: unknown }).values;
      if (Array.isArray(values) && values.length > 0 && values.every(isRow)) {
        out[k] = { ...x, values: [{ [SLOT]: slots.rows.length }] };
        slots.rows.push(values);
        continue;
      }
      // Other data (an empty array, primitives, a FeatureCollection object, a URL) stays in the skeleton.
      out[k] = x;
      continue;
    }
    if (top && k === "title" && typeof x === "string" && x !== "") out[k] = valueSlot(x, slots);
    else if (top && k === "title" && typeof x === "object" && x !== null && typeof (x as { text?: unknown }).text === "string" && (x as { text: string }).text !== "") out[k] = { ...x, text: valueSlot((x as { text: string }).text, slots) };
    else if (top && (k === "width" || k === "height") && typeof x === "number" && Number.isFinite(x)) out[k] = valueSlot(x, slots);
    else out[k] = takeSlots(x, slots, k, key, false);
  }
  return out;
}

/**
 * The value slot of `v`: one slot per distinct value, so values that are equal (a map's frame in
 * each of its layers) get equal stand-ins, and Vega-Lite merges the layers' scales as it would
 * the values themselves.
 */
function valueSlot(v: string | number, slots: Slots): Record<string, number> {
  let k = slots.values.indexOf(v);
  if (k < 0) k = slots.values.push(v) - 1;
  return { [VALUE]: k };
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

/** `v` (rows and values as slots) as a {@link Template}: its JSON text and its slots' paths. */
function template(v: unknown): Template {
  const holes: Hole[] = [];
  const walk = (x: unknown, path: (string | number)[]): void => {
    const row = slotOf(x);
    if (row >= 0) {
      holes.push({ path, row });
      return;
    }
    if (Array.isArray(x)) x.forEach((y, i) => walk(y, [...path, i]));
    else if (typeof x === "object" && x !== null) {
      const o = x as Record<string, unknown>;
      if (typeof o[VALUE] === "number") holes.push({ path, value: o[VALUE] as number, literal: o[LITERAL] === true });
      else for (const [k, y] of Object.entries(o)) walk(y, [...path, k]);
    }
  };
  walk(v, []);
  return { json: JSON.stringify(v), holes };
}

/**
 * A fresh copy of a template (one `JSON.parse`) with each row slot replaced by its rows (by
 * reference; a row slot with no rows given stays a slot) and each value slot by its value.
 */
function fill(t: Template, slots: Slots): unknown {
  const out = JSON.parse(t.json) as Record<string | number, unknown>;
  for (const h of t.holes) {
    let v: unknown;
    if (h.row !== undefined) {
      if (h.row >= slots.rows.length) continue;
      v = slots.rows[h.row];
    } else v = h.literal ? literal(slots.values[h.value!]) : slots.values[h.value!];
    let o = out;
    for (let i = 0; i < h.path.length - 1; ++i) o = o[h.path[i]] as Record<string | number, unknown>;
    o[h.path[h.path.length - 1]] = v;
  }
  return out;
}
