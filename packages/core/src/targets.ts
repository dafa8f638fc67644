import { InputError, failInput } from "./errors.js";
import { jsonDepth } from "./json-depth.js";

/** Area and source columns a target can be restricted to. */
export type TargetWhereDimension = "source" | "subcategory" | "lsoa" | "ward" | "beat" | "district" | "location" | "force";

const WHERE_DIMENSIONS: readonly TargetWhereDimension[] = ["source", "subcategory", "lsoa", "ward", "beat", "district", "location", "force"];

/**
 * One measure of a partnership plan: "reduce cycle theft by 10% against the 2021/22 baseline
 * in 2022/23". Plain data, so a plan can live in a JSON file (see {@link readTargets}).
 */
export interface Target {
  /** Short stable key for tables and figures, e.g. `"burglary"`. Default: derived from `name`. */
  id?: string;
  /** What the board reads, e.g. `"Reduce dwelling burglary by 10%"`. */
  name: string;
  /** Category keys counted (an incident counts once). Give this or `group`; default every category. */
  categories?: readonly string[];
  /** A category group key (from the `groups` option, else {@link COMMON_GROUPS}), e.g. `"serious-acquisitive"`. */
  group?: string;
  /** Restrict to these values of other columns, e.g. `{ district: "Loughborough" }`. */
  where?: Partial<Record<TargetWhereDimension, string | readonly string[]>>;
  /**
   * The baseline: a period key counted from the table (`"2021/22"`), or a given number with
   * its label (`{ count: 549, label: "2006/07" }`) for a baseline older than the data.
   */
  baseline: string | { count: number; label?: string };
  /** Which way the plan wants the count to go. */
  direction: "reduce" | "increase";
  /** Size of the change against the baseline: a fraction (0.1) or a percentage string ("10%"). 0 means "no more than the baseline" (reduce) or "at least" (increase). */
  size: number | string;
  /** The period the target is for, month-aligned: `"2022/23"`, `"2022"`, `"2022-Q3"`, `"2022-04..2022-09"`. */
  period: string;
  /**
   * How the target is spread over the months of `period` to give the expected-to-date
   * trajectory: `"seasonal"` (in proportion to the daily rate of each month of the year in
   * `profileFrom`), or `"flat"` (in proportion to the days in each month). Default
   * `"seasonal"` when there are at least 100 incidents in `profileFrom`, else `"flat"`.
   */
  profile?: "seasonal" | "flat";
  /**
   * The period whose months give the seasonal profile, e.g. `"2019-04..2022-03"` to pool three
   * years. Default: the baseline period (with a given-number baseline there is no default,
   * and the profile is flat unless this is set).
   */
  profileFrom?: string;
}

/** A plan read from a config file: its measures and, optionally, the month progress is reported at. */
export interface TargetPlan {
  /** Month end progress is reported at, e.g. `"2022-10"`; `null` when the file leaves it to the caller. */
  asAt: string | null;
  targets: Target[];
}

const FN = "readTargets";

/**
 * How deeply a plan may nest arrays and objects. A plan needs 5 levels
 * (`{ targets: [ { where: { ward: [ … ] } } ] }`); the limit leaves room for `$comment`
 * objects and keeps every later walk of the value (checks, error messages) far from the stack limit.
 */
export const MAX_PLAN_DEPTH = 32;


/**
 * The path (`targets[0].where.ward[0]`, cut at 60 characters) of the first array or object in
 * `value` nested more than `limit` levels deep, or `null`. An explicit stack, no recursion; an
 * object met twice (shared, or a cycle) is walked once, so a cycle is not followed forever.
 */
function deeperThan(value: unknown, limit: number): string | null {
  const seen = new Set<object>();
  const stack: [unknown, number, string][] = [[value, 0, ""]];
  while (stack.length) {
    const [v, depth, path] = stack.pop()!;
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    if (depth + 1 > limit) return path.length > 60 ? `${path.slice(0, 57)}...` : path || "the top level";
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; --i) stack.push([v[i], depth + 1, path.length > 60 ? path : `${path}[${i}]`]);
    else for (const [k, x] of Object.entries(v)) stack.push([x, depth + 1, path.length > 60 ? path : path ? `${path}.${k}` : k]);
  }
  return null;
}

/**
 * Reads and checks a plan of targets from JSON text or an already parsed object:
 *
 * ```json
 * { "asAt": "2022-10",
 *   "targets": [
 *     { "id": "burglary", "name": "Reduce burglary by 5%", "categories": ["burglary"],
 *       "baseline": "2021/22", "direction": "reduce", "size": "5%", "period": "2022/23" },
 *     { "name": "Cycle theft below the 2006/07 baseline", "categories": ["bicycle-theft"],
 *       "baseline": { "count": 504, "label": "2006/07" }, "direction": "reduce", "size": 0.1,
 *       "period": "2022/23", "profileFrom": "2021/22" } ] }
 * ```
 *
 * A bare array of targets is accepted too. Sizes are normalised to fractions; ids default
 * to a slug of the name and must be unique.
 *
 * @throws InputError `invalid-input` naming the target and field (`targets[1].size`) for
 *   anything malformed; unknown fields are refused so that a typo is not silently ignored.
 *   A plan nested more than {@link MAX_PLAN_DEPTH} levels deep (a real one needs 5) is refused
 *   before it is parsed or walked, so no input can overflow the stack.
 */
export function readTargets(input: string | unknown): TargetPlan {
  let data: unknown = input;
  if (typeof input === "string") {
    const depth = jsonDepth(input);
    if (depth > MAX_PLAN_DEPTH) failInput("invalid-input", FN, "the plan's nesting of arrays and objects", `at most ${MAX_PLAN_DEPTH} levels deep`, depth);
    try {
      data = JSON.parse(input);
    } catch (e) {
      // A SyntaxError, or a RangeError from a parser that recurses: either way, not a plan.
      failInput("invalid-input", FN, "the plan", "valid JSON", `${(e as Error).message}`);
    }
  } else {
    const at = deeperThan(input, MAX_PLAN_DEPTH);
    if (at !== null) throw new InputError("invalid-input", `${FN}: the plan's nesting of arrays and objects must be at most ${MAX_PLAN_DEPTH} levels deep, got more at ${at}`);
  }
  const root = Array.isArray(data) ? { targets: data } : data;
  if (!isObject(root)) failInput("invalid-input", FN, "the plan", "an object { asAt?, targets: [...] } or an array of targets", data);
  for (const k of Object.keys(root)) if (k !== "asAt" && k !== "targets" && k !== "$comment") failInput("invalid-input", FN, `field "${k}"`, "one of asAt, targets", root[k]);
  const asAt = root.asAt ?? null;
  if (asAt !== null && (typeof asAt !== "string" || !/^\d{4}-\d{2}$/.test(asAt))) failInput("invalid-input", FN, "asAt", 'a month key such as "2022-10"', asAt);
  const list = root.targets;
  if (!Array.isArray(list) || list.length === 0) failInput("invalid-input", FN, "targets", "a non-empty array", list);
  const ids = new Set<string>();
  const targets = list.map((t, i) => checkTarget(t, `targets[${i}]`));
  for (const [i, t] of targets.entries()) {
    if (ids.has(t.id!)) failInput("invalid-input", FN, `targets[${i}].id`, "unique", t.id);
    ids.add(t.id!);
  }
  return { asAt, targets };
}

const TARGET_FIELDS = new Set(["id", "name", "categories", "group", "where", "baseline", "direction", "size", "period", "profile", "profileFrom", "$comment"]);

/** Checks one target and returns a normalised copy (size as a fraction, id filled in). */
export function checkTarget(t: unknown, at: string, fn = FN): Target {
  if (!isObject(t)) failInput("invalid-input", fn, at, "an object", t);
  for (const k of Object.keys(t)) if (!TARGET_FIELDS.has(k)) failInput("invalid-input", fn, `${at}.${k}`, `a known field (${[...TARGET_FIELDS].filter((f) => f !== "$comment").join(", ")})`, t[k]);
  const name = t.name;
  if (typeof name !== "string" || name.trim() === "") failInput("invalid-input", fn, `${at}.name`, "a non-empty string", name);
  const id = t.id ?? slug(name);
  if (typeof id !== "string" || !/^[A-Za-z0-9_-]+$/.test(id)) failInput("invalid-input", fn, `${at}.id`, "letters, digits, - or _", id);
  const categories = t.categories;
  if (categories !== undefined && (!Array.isArray(categories) || categories.length === 0 || !categories.every((c) => typeof c === "string" && c !== ""))) {
    failInput("invalid-input", fn, `${at}.categories`, "a non-empty array of category keys", categories);
  }
  const group = t.group;
  if (group !== undefined && (typeof group !== "string" || group === "")) failInput("invalid-input", fn, `${at}.group`, "a group key", group);
  if (categories !== undefined && group !== undefined) failInput("invalid-input", fn, `${at}.group`, "absent when categories is given (use one or the other)", group);
  const where = t.where;
  if (where !== undefined) {
    if (!isObject(where)) failInput("invalid-input", fn, `${at}.where`, `an object keyed by ${WHERE_DIMENSIONS.join(", ")}`, where);
    for (const [k, v] of Object.entries(where)) {
      if (!(WHERE_DIMENSIONS as readonly string[]).includes(k)) failInput("invalid-input", fn, `${at}.where.${k}`, `one of ${WHERE_DIMENSIONS.join(", ")}`, k);
      const ok = typeof v === "string" || (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string"));
      if (!ok) failInput("invalid-input", fn, `${at}.where.${k}`, "a value or a non-empty array of values", v);
    }
  }
  const baseline = t.baseline;
  if (typeof baseline === "string") {
    if (baseline === "") failInput("invalid-input", fn, `${at}.baseline`, 'a period key such as "2021/22" or { count, label }', baseline);
  } else if (isObject(baseline)) {
    for (const k of Object.keys(baseline)) if (k !== "count" && k !== "label") failInput("invalid-input", fn, `${at}.baseline.${k}`, "count or label", baseline[k]);
    if (!(typeof baseline.count === "number" && Number.isFinite(baseline.count) && baseline.count > 0)) failInput("invalid-input", fn, `${at}.baseline.count`, "a positive number", baseline.count);
    if (baseline.label !== undefined && typeof baseline.label !== "string") failInput("invalid-input", fn, `${at}.baseline.label`, "a string", baseline.label);
  } else failInput("invalid-input", fn, `${at}.baseline`, 'a period key such as "2021/22" or { count, label }', baseline);
  const direction = t.direction;
  if (direction !== "reduce" && direction !== "increase") failInput("invalid-input", fn, `${at}.direction`, '"reduce" or "increase"', direction);
  const size = parseSize(t.size);
  if (size === null || (direction === "reduce" && size >= 1)) failInput("invalid-input", fn, `${at}.size`, `a fraction${direction === "reduce" ? " below 1" : ""} (0.1) or a percentage ("10%"), not negative`, t.size);
  const period = t.period;
  if (typeof period !== "string" || period === "") failInput("invalid-input", fn, `${at}.period`, 'a month-aligned period key such as "2022/23"', period);
  const profile = t.profile;
  if (profile !== undefined && profile !== "seasonal" && profile !== "flat") failInput("invalid-input", fn, `${at}.profile`, '"seasonal" or "flat"', profile);
  const profileFrom = t.profileFrom;
  if (profileFrom !== undefined && (typeof profileFrom !== "string" || profileFrom === "")) failInput("invalid-input", fn, `${at}.profileFrom`, "a period key", profileFrom);
  const out: Target = { id, name, baseline: baseline as Target["baseline"], direction, size, period };
  if (categories !== undefined) out.categories = [...(categories as string[])];
  if (group !== undefined) out.group = group as string;
  if (where !== undefined) out.where = where as Target["where"];
  if (profile !== undefined) out.profile = profile;
  if (profileFrom !== undefined) out.profileFrom = profileFrom as string;
  return out;
}

function parseSize(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) && v >= 0 ? v : null;
  if (typeof v !== "string") return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
  return m ? Number(m[1]) / 100 : null;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "target"
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
