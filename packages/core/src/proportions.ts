import { categoryLabel } from "./categories.js";
import { InputError, invalidOption } from "./errors.js";
import { FLAG, type Flag, type IncidentTable } from "./incident-table.js";
import { levels, type LevelDimension, type LevelsOptions } from "./levels.js";
import { selectRows } from "./select-rows.js";
import { proportionTest } from "./stats/proportion-test.js";
import { wilsonInterval } from "./stats/wilson-interval.js";

/** Options for {@link proportions}. */
export interface ProportionsOptions extends Pick<LevelsOptions, "groups" | "categories" | "values" | "fyStartMonth" | "coarse" | "periods"> {
  /** The flag whose share is taken: `"domestic"`, `"alcohol"` or `"hate"`. Required. */
  flag: Flag;
  /** Dimensions of the cells (may include `period`, which then needs `periods`). Default `["category"]`. */
  by?: readonly LevelDimension[];
  /**
   * A dimension of `by` across which the same proportion is compared: for each combination of
   * the other dimensions, a chi-square test that every value of this one shares one
   * proportion (R `prop.test`). E.g. `by: ["district", "category"]`, `compareAcross:
   * "district"`: is the domestic share of violence the same in every district?
   */
  compareAcross?: LevelDimension;
  /** Confidence level of the Wilson intervals. Default 0.95. */
  confLevel?: number;
  /** Significance level of the comparisons. Default 0.05. */
  alpha?: number;
}

/** One cell: how many of its incidents carry the flag. */
export interface ProportionRow {
  [dimension: string]: string | number | boolean | null;
  /** Incidents in the cell with the flag. */
  flagged: number;
  /** Incidents in the cell. */
  total: number;
  /** flagged ÷ total; `null` when the cell is empty. */
  proportion: number | null;
  /** Wilson score interval (R `prop.test(flagged, total, correct = FALSE)$conf.int`). */
  lower: number | null;
  upper: number | null;
  /** "45.0% of Violence with injury (450 of 1,000) is domestic-related (95% CI 41.9%–48.1%)." */
  sentence: string;
}

/** A test that one proportion is the same across the values of `compareAcross`. */
export interface ProportionComparison {
  [dimension: string]: string | number | boolean | null | string[];
  /** The values compared (those with at least one incident). */
  compared: string[];
  /** Pearson X² (Yates-corrected with two groups, as R's default); `null` when untestable. */
  statistic: number | null;
  df: number;
  pValue: number | null;
  significant: boolean;
  /** Why the test could not be made (fewer than two non-empty groups, all or none flagged), else `null`. */
  reason: string | null;
  sentence: string;
}

/** Result of {@link proportions}. */
export interface ProportionsResult {
  readonly flag: Flag;
  readonly rows: ProportionRow[];
  /** One per combination of the other dimensions when `compareAcross` is given, else empty. */
  readonly comparisons: ProportionComparison[];
}

const FLAG_WORDS: Record<Flag, string> = { domestic: "domestic-related", alcohol: "alcohol-related", hate: "hate-related" };
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const fmtInt = (n: number) => n.toLocaleString("en-GB");
const fmtP = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`);

/**
 * The share of incidents carrying a flag ("45% of ABH is domestic-related"), per cell of the
 * chosen dimensions, with Wilson score intervals, and optionally a test that the share is
 * the same across areas or periods (Pearson's chi-square, R `prop.test`). Counting follows
 * {@link levels}: the denominator of a cell is every incident counted there.
 *
 * A flag is only a fact where the source records it: a table whose `flagsRecorded` lacks the
 * flag (police.uk records none) is refused rather than reported as "0% domestic".
 *
 * For a cohort rate that does not come from the table (86 of 524 offenders re-offended),
 * use {@link wilsonInterval} and {@link proportionTest} directly.
 *
 * @example
 * proportions(table, { flag: "domestic", categories: ["violence-with-injury"] }).rows[0].sentence
 * // => "45.0% of Violence with injury (450 of 1,000) was domestic-related (95% CI 41.9%–48.1%)."
 * @throws InputError `missing-field` when the table does not record the flag;
 *   `invalid-option` for bad options.
 */
export function proportions(table: IncidentTable, options: ProportionsOptions): ProportionsResult {
  const fn = "proportions";
  const flag = options?.flag;
  if (typeof flag !== "string" || !Object.hasOwn(FLAG, flag)) invalidOption(fn, "flag", `one of ${Object.keys(FLAG).join(", ")}`, flag);
  const bit = FLAG[flag];
  if ((table.flagsRecorded & bit) === 0) {
    const known = Object.keys(FLAG).filter((k) => (table.flagsRecorded & FLAG[k as Flag]) !== 0);
    throw new InputError("missing-field", `${fn}: flag "${flag}" is not recorded by this table's source (it records ${known.length ? known.join(", ") : "no flags"}), so its share is unknown rather than 0`);
  }
  const by = options.by ?? ["category"];
  if (!Array.isArray(by) || by.length === 0) invalidOption(fn, "by", "a non-empty list of dimensions", by);
  const across = options.compareAcross;
  if (across !== undefined && !by.includes(across)) invalidOption(fn, "compareAcross", `one of the dimensions in by (${by.join(", ")})`, across);
  const confLevel = options.confLevel ?? 0.95;
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) invalidOption(fn, "alpha", "a number between 0 and 1", alpha);

  const lopts: LevelsOptions = {
    by,
    periods: options.periods,
    groups: options.groups,
    categories: options.categories,
    values: options.values,
    fyStartMonth: options.fyStartMonth,
    coarse: options.coarse,
    zeroFill: true,
  };
  const all = levels(table, lopts);
  const flags = table.flags;
  const flaggedTable = selectRows(table, (i) => (flags[i] & bit) !== 0);
  const keyOf = (r: Record<string, unknown>, dims: readonly string[]) => dims.map((d) => String(r[d])).join("\u0000");
  const flaggedCounts = new Map<string, number>();
  if (flaggedTable.length > 0) {
    for (const r of levels(flaggedTable, lopts).rows) {
      flaggedCounts.set(keyOf(r, by), r.count);
    }
  }
  const word = FLAG_WORDS[flag];
  const rows: ProportionRow[] = all.rows.map((r) => {
    const flagged = flaggedCounts.get(keyOf(r, by)) ?? 0;
    const w = wilsonInterval(flagged, r.count, { confLevel });
    const row = {} as ProportionRow;
    for (const d of by) row[d] = r[d];
    Object.assign(row, { flagged, total: r.count, proportion: w.estimate, lower: w.lower, upper: w.upper });
    const name = cellName(row, by);
    row.sentence =
      w.estimate === null
        ? `${name}: no incidents, so no ${word} share.`
        : `${pct(w.estimate)} of ${name} (${fmtInt(flagged)} of ${fmtInt(r.count)}) was ${word} (${Math.round(confLevel * 100)}% CI ${pct(w.lower!)}–${pct(w.upper!)}).`;
    return row;
  });

  const comparisons: ProportionComparison[] = [];
  if (across !== undefined) {
    const others = by.filter((d) => d !== across);
    const groups = new Map<string, ProportionRow[]>();
    for (const r of rows) {
      const k = keyOf(r, others);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(r);
    }
    for (const g of groups.values()) {
      const used = g.filter((r) => r.total > 0);
      const cmp = {} as ProportionComparison;
      for (const d of others) cmp[d] = g[0][d];
      cmp.compared = used.map((r) => String(r[across]));
      let reason: string | null = null;
      let statistic: number | null = null;
      let pValue: number | null = null;
      let df = Math.max(0, used.length - 1);
      if (used.length < 2) reason = `fewer than two ${across} values with incidents`;
      else {
        const t = proportionTest(
          used.map((r) => r.flagged),
          used.map((r) => r.total),
        );
        statistic = t.statistic;
        pValue = t.pValue;
        df = t.df;
        reason = t.reason;
      }
      Object.assign(cmp, { statistic, df, pValue, significant: pValue !== null && pValue < alpha, reason });
      const subject = cellName(cmp, others);
      cmp.sentence =
        pValue === null
          ? `The ${word} share of ${subject} cannot be compared across ${across} values: ${reason}.`
          : `The ${word} share of ${subject} ${cmp.significant ? "differs" : "does not differ significantly"} across ${used.length} ${across} values (${used.map((r) => `${r[across]} ${pct(r.proportion!)}`).join(", ")}; chi-square ${statistic!.toFixed(2)} on ${df} df, ${fmtP(pValue)}).`;
      comparisons.push(cmp);
    }
  }
  return { flag, rows, comparisons };
}

function cellName(row: Record<string, unknown>, dims: readonly string[]): string {
  // The most specific crime dimension names the cell ("ABH"), the rest say where and when.
  const crime = (["subcategory", "category"] as const).find((d) => dims.includes(d) && row[d] !== null && row[d] !== undefined);
  const head = crime ? categoryLabel(String(row[crime])) : "incidents";
  const rest = dims.filter((d) => d !== "category" && d !== "subcategory").map((d) => (row[d] === null ? "(none)" : String(row[d])));
  return rest.length ? `${head} in ${rest.join(", ")}` : head;
}
