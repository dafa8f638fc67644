import { disclosureControl, invalidOption, type DisclosurePolicy } from "@community-safety/core";
import { generalisePoints, type GeneralisePointsOptions } from "./generalise-points.js";

/**
 * How an output is protected for publication (`assess --public`): every output file carries one
 * (see `OutputFile.disclosure`), and so does every protected table of the report. Either a
 * table of counts ({@link CountsDisclosure}) or a file that holds nothing the rule protects
 * ({@link NotDisclosive}), with the reason.
 */
export type DisclosureSpec = CountsDisclosure | NotDisclosive;

/** An output that holds no count of incidents by type, place or time (coverage spans, per-file reconciliation). */
export interface NotDisclosive {
  readonly kind: "not-disclosive";
  /** Why, in words, for the report and for review (e.g. "time spans the data cover; no counts"). */
  readonly reason: string;
}

/**
 * A table of counts: which columns are counts, which identify a cell, which are derived from the
 * counts, and every other column with the reason it is not protected. `assess --public` checks
 * every written column against it (a column it does not name is refused).
 */
export interface CountsDisclosure {
  readonly kind: "counts";
  /** Count columns, protected by the rule (withheld from 1 to threshold − 1, or rounded). Fractional weights (aoristic) are treated alike. */
  readonly counts: readonly string[];
  /** Columns identifying a cell: secondary suppression works along each (core's `disclosureControl`). */
  readonly dimensions: readonly string[];
  /** The dimensions whose totals are published (core's `disclosureControl` `margins`): secondary suppression runs along these only. Default every dimension. */
  readonly margins?: readonly string[];
  /** Columns derived from the row's counts (shares, rates, CIs, p-values, sentences): withheld with them. */
  readonly derived?: readonly string[];
  /**
   * Rows that agree on `by` form a series (a monthly series, a seasonal profile, a target's
   * months): its `derived` columns (a trend, a mean, control limits, a cumulative trajectory)
   * rest on every count of the series, so they are withheld in every row of a series holding a
   * withheld or small count. With `whole`, the series' counts are withheld too (cumulative
   * columns, whose differences would give a withheld month back).
   */
  readonly series?: { readonly by: readonly string[]; readonly derived: readonly string[]; readonly whole?: boolean };
  /**
   * Columns withheld in every row when published (statistics that would give counts back even
   * where the counts are published: a Gi* z is a linear function of a neighbourhood's counts).
   */
  readonly withheld?: readonly string[];
  /** Point columns of rows with small counts generalised to a grid cell's centre (see `generalisePoints`); the row's count decides. */
  readonly points?: Omit<GeneralisePointsOptions, "threshold">;
  /** Every other column, with why it is not protected (population: "residents (ONS estimates, published)"). */
  readonly other?: Readonly<Record<string, string>>;
  /**
   * Dimension columns computed from a row, used for secondary suppression and then dropped (a
   * street's identity, which is its name and point and so must not be written beside a
   * generalised point).
   */
  readonly keys?: Readonly<Record<string, (row: Record<string, unknown>) => string>>;
}

/** Columns `publicRows` adds: why a row's values are withheld, and where its point is. */
export const PUBLIC_COLUMNS = ["suppressed", "position"] as const;

/** What {@link publicRows} withheld, rounded and moved: counts of cells and rows. */
export interface PublicRowsTally {
  /** Count cells (non-null before protection). */
  readonly cells: number;
  /** Count cells withheld: disclosive (primary), to protect them (secondary), or with their series. */
  readonly primary: number;
  readonly secondary: number;
  readonly series: number;
  /** Count cells rounded (method `round`). */
  readonly rounded: number;
  /** Rows whose point was generalised. */
  readonly generalised: number;
}

/** What {@link publicRows} returns. */
export interface PublicRowsResult<T> extends PublicRowsTally {
  /** New rows (inputs are not modified), with `suppressed` (and, with points, `position`). */
  readonly rows: (T & { suppressed: string | null })[];
}

const FN = "publicRows";

/** Whether `v` is a disclosive count under `threshold`: more than 0 and less than the threshold. */
export function isSmall(v: unknown, threshold: number): boolean {
  return typeof v === "number" && v > 0 && v < threshold;
}

/**
 * Protects a table of count rows for publication by its {@link CountsDisclosure}: core's
 * `disclosureControl` on the count columns along the dimensions (primary and secondary
 * suppression, or rounding to base 5), derived columns withheld with their counts (with
 * `method: "round"` too, where a count was small: a share to 12 digits would give it back), the
 * derived columns of a series withheld in every row of a series holding a withheld or small
 * count, and the points of small counts generalised (`generalisePoints`). Build every output of
 * a table (CSV, GeoJSON, HTML table, figure, sentence) from the rows this returns, so they agree.
 *
 * @example
 * publicRows([{ area: "A", count: 2, rate: 0.1 }, { area: "B", count: 9, rate: 0.4 }, { area: "C", count: 30, rate: 1.2 }],
 *   { kind: "counts", counts: ["count"], dimensions: ["area"], derived: ["rate"] }).rows.map((r) => r.count)
 * // => [null, null, 30]
 * @throws InputError `invalid-option` for a bad policy, an empty list of counts, or a count that is not a non-negative number.
 */
export function publicRows<T extends object>(rows: readonly T[], spec: CountsDisclosure, policy: DisclosurePolicy = {}): PublicRowsResult<T> {
  if (!spec || spec.kind !== "counts" || !Array.isArray(spec.counts) || spec.counts.length === 0) invalidOption(FN, "spec.counts", "a non-empty list of count columns", spec?.counts);
  const threshold = policy.threshold ?? 5;
  const method = policy.method ?? "suppress";
  const counts = spec.counts;
  const derived = spec.derived ?? [];
  const keys = spec.keys ?? {};
  // Keys from the rows as they are (a generalised point would merge streets), then the points generalised.
  const input = rows as readonly object[] as readonly Record<string, unknown>[];
  let keyed: Record<string, unknown>[] = Object.keys(keys).length
    ? input.map((r) => ({ ...r, ...Object.fromEntries(Object.entries(keys).map(([k, f]) => [k, f(r)])) }))
    : (input as Record<string, unknown>[]);
  let generalised = 0;
  if (spec.points) {
    const g = generalisePoints(keyed, { ...spec.points, threshold });
    keyed = g.rows;
    generalised = g.generalised;
  }
  const dc = disclosureControl(keyed, { threshold, method, base: policy.base, counts, dimensions: spec.dimensions, margins: spec.margins, derived });
  const out = dc.rows as Record<string, unknown>[];
  let cells = 0;
  for (const r of input) for (const c of counts) if (typeof r[c] === "number") cells += 1;
  const small = input.map((r) => counts.some((c) => isSmall(r[c], threshold)));
  const note = (r: Record<string, unknown>, why: string) => {
    r.suppressed = r.suppressed ? `${r.suppressed}; ${why}` : why;
  };
  if (method === "round") {
    out.forEach((r, i) => {
      if (!small[i] || derived.length === 0) return;
      for (const d of derived) if (d in r) r[d] = null;
      note(r, "derived: of a small count");
    });
  }
  let inSeries = 0;
  if (spec.series) {
    const { by, derived: seriesDerived, whole } = spec.series;
    const groups = new Map<string, number[]>();
    out.forEach((r, i) => {
      const key = by.map((b) => String(r[b])).join("\u0000");
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(i);
    });
    for (const g of groups.values()) {
      if (!g.some((i) => small[i] || out[i].suppressed !== null)) continue;
      for (const i of g) {
        const r = out[i];
        for (const d of seriesDerived) if (d in r) r[d] = null;
        if (whole) {
          for (const c of counts) {
            if (typeof r[c] === "number") inSeries += 1;
            r[c] = null;
          }
          for (const d of derived) if (d in r) r[d] = null;
        }
        note(r, whole ? "series: holds a small count" : "series statistics: the series holds a small count");
      }
    }
  }
  if (spec.withheld?.length) for (const r of out) for (const c of spec.withheld) if (c in r) r[c] = null;
  const transient = Object.keys(keys);
  if (transient.length) for (const r of out) for (const k of transient) delete r[k];
  return { rows: out as unknown as (T & { suppressed: string | null })[], cells, primary: dc.primary, secondary: dc.secondary, series: inSeries, rounded: dc.rounded, generalised };
}
