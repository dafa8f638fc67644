import { categoryLabel } from "./categories.js";
import { comparisonWindows } from "./comparison-windows.js";
import { coveredSpans } from "./coverage.js";
import { InputError, invalidOption } from "./errors.js";
import type { IncidentTable } from "./incident-table.js";
import { parsePeriod, type Period } from "./periods.js";
import { whereTest } from "./select-rows.js";
import { poissonRateTest } from "./stats/poisson-rate-test.js";
import { weightedDisplacementDifference, type WddResult } from "./stats/weighted-displacement.js";
import type { TargetWhereDimension } from "./targets.js";

/** An area as column values (`{ beat: ["NC05", "NC06"] }`) or a row test (e.g. a point-in-polygon test from `@community-safety/geo`). */
export type AreaSelector = Partial<Record<TargetWhereDimension, string | readonly string[]>> | ((row: number) => boolean);

/** Options for {@link evaluateIntervention}. */
export interface InterventionOptions {
  /** The period before the intervention, e.g. `"2020-04..2021-03"`. */
  before: Period | string;
  /** The period after it. */
  after: Period | string;
  /** The treated (target) area. */
  treated: AreaSelector;
  /** A comparable untreated area; needed for the weighted displacement difference. */
  control?: AreaSelector;
  /** The buffer around the treated area where crime may be displaced to. */
  displacement?: AreaSelector;
  /** A control for the displacement area. Default: `control`. */
  displacementControl?: AreaSelector;
  /** Category keys counted. Default every category. */
  categories?: readonly string[];
  /** Unit cost of one incident per category key (e.g. the Home Office's costs of crime, in £). */
  unitCosts?: Readonly<Record<string, number>>;
  /** What the intervention cost, in the same currency. */
  spent?: number;
  /** Confidence level of the intervals. Default 0.95. */
  confLevel?: number;
  /** First month of the financial year, for period keys. Default 4. */
  fyStartMonth?: number;
}

/** Counts before and after in one area. */
export interface AreaChange {
  before: number;
  after: number;
  /** (after/tAfter − before/tBefore) ÷ (before/tBefore): the change in the daily rate; `null` from a zero base. */
  percentChange: number | null;
  /** Exact test of equal daily rates before and after (R `poisson.test(c(after, before), c(tAfter, tBefore))`). */
  pValue: number | null;
}

/** One category's harm arithmetic. */
export interface InterventionCategoryRow {
  category: string;
  before: number;
  after: number;
  /** Incidents expected after in the treated area: before × the period-length ratio × the control's change (1 without a control). */
  expectedAfter: number;
  /** expectedAfter − after (positive = incidents prevented). */
  avoided: number;
  /** Incidents displaced into the displacement area beyond its control's trend (positive = displacement); 0 without one. */
  displaced: number;
  /** Unit cost, `null` when `unitCosts` has no entry for the category. */
  unitCost: number | null;
  /** (avoided − displaced) × unitCost; `null` without a unit cost. */
  harmAvoided: number | null;
}

/** Result of {@link evaluateIntervention}. */
export interface InterventionResult {
  readonly before: Period;
  readonly after: Period;
  /** Days in the before and after periods. */
  readonly days: readonly [number, number];
  readonly treated: AreaChange;
  readonly control: AreaChange | null;
  readonly displacement: AreaChange | null;
  readonly displacementControl: AreaChange | null;
  /** The weighted displacement difference (rates per after-period length); `null` without a control. */
  readonly wdd: WddResult | null;
  readonly categories: InterventionCategoryRow[];
  /** Σ harm avoided over categories with a unit cost; `null` when no category has one. */
  readonly harmAvoided: number | null;
  /** Categories counted but without a unit cost (their harm is not in the total). */
  readonly uncosted: string[];
  readonly spent: number | null;
  /** harmAvoided − spent, and harmAvoided ÷ spent; `null` without both. */
  readonly netBenefit: number | null;
  readonly benefitCostRatio: number | null;
  readonly sentence: string;
}

const FN = "evaluateIntervention";
const fmtInt = (n: number) => Math.round(n).toLocaleString("en-GB");
const num = (n: number, digits = 1) => n.toFixed(digits).replace("-", "−");
const money = (n: number) => `£${Math.round(n).toLocaleString("en-GB")}`;
const fmtP = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`);

/**
 * Before/after evaluation of a local intervention: counts in the treated area, an optional
 * control area and displacement buffer (with its own control), the weighted displacement
 * difference (Bowers & Johnson 2003; standard error from Wheeler & Ratcliffe 2018), and the
 * harm avoided from a table of unit costs — "31 burglaries before, 1 after; £98,000 of harm
 * avoided against £20,000 spent".
 *
 * Periods of different lengths are compared as daily rates: the WDD's time weights are
 * the periods' lengths in after-period units, and `expectedAfter` scales the before count by
 * the length ratio. With a control, the counterfactual also follows the control area's
 * change over the same periods (all categories pooled, to keep it stable); displacement is the
 * buffer's after count beyond its control's change. Harm = (avoided − displaced) × unit cost.
 *
 * @example
 * evaluateIntervention(table, { before: "2021-01..2021-06", after: "2021-07..2021-12",
 *   treated: { beat: "NC05" }, control: { beat: "NC09" }, unitCosts: { burglary: 5930 }, spent: 20000 }).sentence
 * @throws InputError `invalid-option` for overlapping periods, bad selectors or costs;
 *   `partial-period` when the data do not wholly cover both periods.
 */
export function evaluateIntervention(table: IncidentTable, options: InterventionOptions): InterventionResult {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object", options);
  const popts = { zone: table.zone, fyStartMonth: options.fyStartMonth };
  const p0 = typeof options.before === "string" ? parsePeriod(options.before, popts) : options.before;
  const p1 = typeof options.after === "string" ? parsePeriod(options.after, popts) : options.after;
  if (!p0 || !p1) invalidOption(FN, "before/after", "periods", [options.before, options.after]);
  if (p0.start < p1.end && p1.start < p0.end) invalidOption(FN, "after", `a period that does not overlap ${p0.key}`, p1.key);
  // Both periods must be wholly covered by the data: a part-covered period would read missing
  // months as no crime (the rates are per day of the whole period).
  comparisonWindows(coveredSpans(table, { categories: options.categories }), [p0, p1], "refuse", { zone: table.zone, fyStartMonth: options.fyStartMonth, fn: FN, advice: "Choose before and after periods the data cover" });
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) invalidOption(FN, "confLevel", "a number between 0 and 1", confLevel);
  const spent = options.spent ?? null;
  if (spent !== null && !(spent >= 0 && Number.isFinite(spent))) invalidOption(FN, "spent", "a non-negative number", spent);
  const costs = options.unitCosts ?? {};
  for (const [k, v] of Object.entries(costs)) if (!(typeof v === "number" && v >= 0 && Number.isFinite(v))) invalidOption(FN, `unitCosts["${k}"]`, "a non-negative number", v);

  // Categories counted.
  const present = table.category.values;
  let catCodes: number[];
  if (options.categories) {
    if (!Array.isArray(options.categories) || options.categories.length === 0) invalidOption(FN, "categories", "a non-empty array of category keys", options.categories);
    catCodes = options.categories.map((c) => {
      const code = present.indexOf(c);
      if (code < 0) throw new InputError("unknown-category", `${FN}: categories must name categories in the table, got "${c}"`);
      return code;
    });
  } else catCodes = present.map((v, c) => (v === null ? -1 : c)).filter((c) => c >= 0);
  const catSlot = new Int32Array(present.length).fill(-1);
  catCodes.forEach((code, s) => (catSlot[code] = s));
  const nCat = catCodes.length;

  const areas = [
    ["treated", options.treated],
    ["control", options.control],
    ["displacement", options.displacement],
    ["displacementControl", options.displacementControl ?? (options.displacement ? options.control : undefined)],
  ] as const;
  if (options.treated === undefined) invalidOption(FN, "treated", "an area selector", undefined);
  if (options.displacement && !areas[3][1]) invalidOption(FN, "displacementControl", "given (or a control) when a displacement area is", undefined);
  const tests = areas.map(([name, sel]) => (sel === undefined ? null : areaTest(table, sel, name)));
  // counts[area][category][0 = before, 1 = after]
  const counts = tests.map((t) => (t ? Array.from({ length: nCat }, () => [0, 0]) : null));
  const { start, category } = table;
  const codes = category.codes;
  for (let i = 0; i < table.length; ++i) {
    const s = start[i];
    const when = s >= p0.start && s < p0.end ? 0 : s >= p1.start && s < p1.end ? 1 : -1;
    if (when < 0) continue;
    const slot = catSlot[codes[i]];
    if (slot < 0) continue;
    for (let a = 0; a < 4; ++a) {
      const t = tests[a];
      if (t !== null && t(i)) counts[a]![slot][when] += 1;
    }
  }
  const t0 = (p0.end - p0.start) / 1440;
  const t1 = (p1.end - p1.start) / 1440;
  const total = (a: number) => (counts[a] ? counts[a]!.reduce((acc, c) => [acc[0] + c[0], acc[1] + c[1]], [0, 0]) : null);
  const change = (a: number): AreaChange | null => {
    const c = total(a);
    if (!c) return null;
    const test = poissonRateTest(c[1], c[0], { exposures: [t1, t0] });
    return { before: c[0], after: c[1], percentChange: c[0] > 0 ? c[1] / t1 / (c[0] / t0) - 1 : null, pValue: test.pValue };
  };
  const [treated, control, displacement, displacementControl] = [0, 1, 2, 3].map(change);

  const wdd = control
    ? weightedDisplacementDifference(
        {
          treated: [treated!.before, treated!.after],
          control: [control.before, control.after],
          displacement: displacement ? [displacement.before, displacement.after] : undefined,
          displacementControl: displacement ? [displacementControl!.before, displacementControl!.after] : undefined,
        },
        { timeWeights: [t0 / t1, 1], confLevel },
      )
    : null;

  // The counterfactual ratio after ÷ before for the treated area (and the displacement area).
  const ratio = (c: AreaChange | null): number | null => (c === null ? 1 : c.before > 0 ? c.after / c.before : null);
  const lengthRatio = t1 / t0;
  const controlRatio = ratio(control);
  const dispControlRatio = displacement ? ratio(displacementControl) : null;
  if (control && controlRatio === null) invalidOption(FN, "control", "an area with incidents before the intervention", "an area with none");
  const rows: InterventionCategoryRow[] = catCodes.map((code, s) => {
    const [before, after] = counts[0]![s];
    const expectedAfter = before * (control ? controlRatio! : lengthRatio);
    let displaced = 0;
    if (displacement) {
      const [db, da] = counts[2]![s];
      displaced = da - db * (dispControlRatio ?? lengthRatio);
    }
    const key = present[code]!;
    const unitCost = Object.hasOwn(costs, key) ? costs[key] : null;
    const avoided = expectedAfter - after;
    return { category: key, before, after, expectedAfter, avoided, displaced, unitCost, harmAvoided: unitCost === null ? null : (avoided - displaced) * unitCost };
  });
  const costed = rows.filter((r) => r.harmAvoided !== null);
  const harmAvoided = costed.length ? costed.reduce((a, r) => a + r.harmAvoided!, 0) : null;
  const uncosted = rows.filter((r) => r.unitCost === null && (r.before > 0 || r.after > 0)).map((r) => r.category);
  const netBenefit = harmAvoided !== null && spent !== null ? harmAvoided - spent : null;
  const benefitCostRatio = harmAvoided !== null && spent !== null && spent > 0 ? harmAvoided / spent : null;

  const what = nCat === 1 ? categoryLabel(present[catCodes[0]]!) : "Incidents";
  const tr = treated!;
  let sentence = `${what} in the treated area: ${fmtInt(tr.before)} in ${p0.label}, ${fmtInt(tr.after)} in ${p1.label}`;
  sentence += tr.percentChange === null ? "" : ` (${tr.percentChange >= 0 ? "+" : "−"}${Math.abs(100 * tr.percentChange).toFixed(1)}% per day${tr.pValue === null ? "" : `, ${fmtP(tr.pValue)}`})`;
  if (control) sentence += `; the control area went from ${fmtInt(control.before)} to ${fmtInt(control.after)}`;
  if (wdd) {
    sentence += `. Weighted displacement difference ${num(wdd.estimate)} (SE ${num(wdd.se)}, ${Math.round(confLevel * 100)}% CI ${num(wdd.lower)} to ${num(wdd.upper)}${wdd.pValue === null ? "" : `, ${fmtP(wdd.pValue)}`})`;
    sentence += wdd.pValue !== null && wdd.pValue < 1 - confLevel ? (wdd.estimate < 0 ? ": a reduction beyond the control's trend, net of displacement" : ": an increase beyond the control's trend") : ": no change beyond chance";
  }
  if (harmAvoided !== null) {
    sentence += `. ${harmAvoided >= 0 ? `${money(harmAvoided)} of harm avoided` : `${money(-harmAvoided)} of extra harm`}${spent !== null ? ` against ${money(spent)} spent${benefitCostRatio !== null ? ` (${benefitCostRatio.toFixed(1)} : 1)` : ""}` : ""}`;
    if (uncosted.length) sentence += ` (no unit cost for ${uncosted.map(categoryLabel).join(", ")})`;
  }
  sentence += ".";
  return {
    before: p0,
    after: p1,
    days: [t0, t1],
    treated: tr,
    control,
    displacement,
    displacementControl,
    wdd,
    categories: rows,
    harmAvoided,
    uncosted,
    spent,
    netBenefit,
    benefitCostRatio,
    sentence,
  };
}

function areaTest(table: IncidentTable, sel: AreaSelector, name: string): (i: number) => boolean {
  if (typeof sel === "function") return sel;
  if (sel === null || typeof sel !== "object" || Array.isArray(sel) || Object.keys(sel).length === 0) invalidOption(FN, name, "a row test or an object such as { beat: \"NC05\" }", sel);
  const dims = ["source", "subcategory", "lsoa", "ward", "beat", "district", "location", "force"];
  for (const [dim, v] of Object.entries(sel)) {
    if (!dims.includes(dim)) invalidOption(FN, `${name}.${dim}`, `one of ${dims.join(", ")}`, dim);
    const values = typeof v === "string" ? [v] : v;
    if (!Array.isArray(values) || values.length === 0 || !values.every((x) => typeof x === "string")) invalidOption(FN, `${name}.${dim}`, "a value or a non-empty array of values", v);
    const col = table[dim as TargetWhereDimension];
    for (const w of values) if (!col.values.includes(w)) invalidOption(FN, `${name}.${dim}`, `values present in the table's ${dim} column`, w);
  }
  return whereTest(table, sel);
}
