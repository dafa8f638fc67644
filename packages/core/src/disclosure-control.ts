import { invalidOption } from "./errors.js";

/** How small counts are protected. */
export type DisclosureMethod = "suppress" | "round";

/** A disclosure policy (see {@link disclosureControl}). */
export interface DisclosurePolicy {
  /** Counts from 1 to `threshold − 1` are disclosive. Default 5 (so 1–4 are protected; 0 is published). */
  threshold?: number;
  /**
   * `"suppress"` (default): disclosive counts are withheld (`null`), with secondary suppression so
   * no total recovers them; `"round"`: every count is rounded to the nearest multiple of `base`
   * (0 stays 0; 1–2 become 0, 3–7 become 5 with base 5), so no small count is exact.
   */
  method?: DisclosureMethod;
  /** Rounding base with `method: "round"`. Default 5. */
  base?: number;
}

/** Options for {@link disclosureControl}. */
export interface DisclosureControlOptions extends DisclosurePolicy {
  /** The count column(s). Default `["count"]`. */
  counts?: readonly string[];
  /**
   * The columns that identify a cell (category, area, period…). Secondary suppression works along
   * each of them: the cells that differ only in that column add up to a total someone can know,
   * so a line never holds exactly one withheld count. Default: every column whose values are
   * strings (or null) in the first row, other than the counts.
   */
  dimensions?: readonly string[];
  /**
   * The dimensions along which a total is published or can be found elsewhere (a category's
   * count over all streets is in the levels table; a street's count over all categories is not
   * published anywhere): secondary suppression protects only the lines along these. Default:
   * every dimension (the safe choice when unsure).
   */
  margins?: readonly string[];
  /** Columns derived from the counts (share, rate, percentChange, p-values…): withheld with them. Default none. */
  derived?: readonly string[];
}

/** Result of {@link disclosureControl}. */
export interface DisclosureControlResult<T> {
  /** New rows (inputs are not modified): withheld values are `null`, with `suppressed` naming why. */
  readonly rows: (T & { suppressed: string | null })[];
  /** Counts withheld because they are disclosive. */
  readonly primary: number;
  /** Counts withheld so that totals cannot recover a disclosive one. */
  readonly secondary: number;
  /** Counts rounded (method `round`). */
  readonly rounded: number;
  /** The rule, in words, for the report. */
  readonly rule: string;
}

const FN = "disclosureControl";

/** The rule a policy applies, in words (for reports and READMEs). */
export function disclosureRule(policy: DisclosurePolicy = {}): string {
  const { threshold, method, base } = checkPolicy(FN, policy);
  return method === "round"
    ? `Every count is rounded to the nearest multiple of ${base} (counts of 1–${Math.floor((base - 1) / 2)} show as 0), so no small count is published exactly.`
    : `Counts from 1 to ${threshold - 1} are withheld (primary suppression), and further counts are withheld where a total would otherwise reveal them (secondary suppression: no row or column of a table holds exactly one withheld count); rates and shares of withheld counts are withheld too. Zeros are published.`;
}

function checkPolicy(fn: string, policy: DisclosurePolicy): Required<DisclosurePolicy> {
  const threshold = policy.threshold ?? 5;
  if (!(Number.isInteger(threshold) && threshold >= 2 && threshold <= 1000)) invalidOption(fn, "threshold", "an integer from 2 to 1000", threshold);
  const method = policy.method ?? "suppress";
  if (method !== "suppress" && method !== "round") invalidOption(fn, "method", '"suppress" or "round"', method);
  const base = policy.base ?? 5;
  if (!(Number.isInteger(base) && base >= 2 && base <= 1000)) invalidOption(fn, "base", "an integer from 2 to 1000", base);
  return { threshold, method, base };
}

/**
 * Applies a disclosure policy to tidy count rows (levels, change, street counts…) before they
 * are published: counts of 1 to threshold − 1 are withheld (primary suppression), then, along
 * each dimension, any line of cells (the cells that differ only in that dimension, whose sum
 * is a total a reader can know or find elsewhere) holding exactly one withheld count has its
 * smallest other non-zero count withheld too (secondary suppression), repeated until no line
 * holds exactly one — so no total recovers a withheld count by subtraction. Derived columns
 * (rates, shares, tests) of a withheld count are withheld with it. With `method: "round"`
 * every count is rounded to base 5 instead. This is the simple line-by-line method of the ONS
 * and Scottish Government guidance for tables of counts; it protects against recovery from the
 * table's own margins, not from every combination of published tables.
 *
 * @example
 * disclosureControl([{ area: "A", count: 2 }, { area: "B", count: 9 }, { area: "C", count: 30 }]).rows.map((r) => r.count)
 * // => [null, null, 30]   (2 is withheld; 9 too, or 2 = total − 9 − 30)
 * @throws InputError `invalid-option` for a bad threshold, method, base, or a count column that
 *   is not a non-negative number in some row.
 */
export function disclosureControl<T extends Record<string, unknown>>(rows: readonly T[], options: DisclosureControlOptions = {}): DisclosureControlResult<T> {
  const { threshold, method, base } = checkPolicy(FN, options);
  const counts = options.counts ?? ["count"];
  if (!Array.isArray(counts) || counts.length === 0) invalidOption(FN, "counts", "a non-empty list of count columns", counts);
  const derived = options.derived ?? [];
  const first = rows[0] ?? ({} as T);
  const dimensions = options.dimensions ?? Object.keys(first).filter((k) => !counts.includes(k) && !derived.includes(k) && (typeof first[k] === "string" || first[k] === null));
  const margins = options.margins ?? dimensions;
  if (!Array.isArray(margins) || margins.some((m) => !dimensions.includes(m))) invalidOption(FN, "margins", `a list of the dimensions (${dimensions.join(", ")})`, margins);
  const out = rows.map((r) => ({ ...r, suppressed: null as string | null }));
  const rule = disclosureRule({ threshold, method, base });
  rows.forEach((r, i) => {
    for (const c of counts) {
      const v = r[c];
      if (v === null || v === undefined) continue;
      if (typeof v !== "number" || !(v >= 0)) invalidOption(FN, `rows[${i}].${c}`, "a non-negative number (a count)", v);
    }
  });
  if (method === "round") {
    let rounded = 0;
    for (const r of out) {
      for (const c of counts) {
        const v = r[c] as number | null | undefined;
        if (typeof v !== "number") continue;
        const x = Math.round(v / base) * base;
        if (x !== v) rounded += 1;
        (r as Record<string, unknown>)[c] = x;
      }
    }
    return { rows: out, primary: 0, secondary: 0, rounded, rule };
  }
  // Lines along each dimension with a known total: rows that agree on every other dimension.
  const lines: number[][] = [];
  for (const d of margins) {
    const groups = new Map<string, number[]>();
    rows.forEach((r, i) => {
      const key = dimensions.filter((e) => e !== d).map((e) => String(r[e])).join("\u0000");
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(i);
    });
    for (const g of groups.values()) if (g.length >= 2) lines.push(g);
  }
  if (dimensions.length === 0 && rows.length >= 2) lines.push(rows.map((_, i) => i));
  let primary = 0;
  let secondary = 0;
  const why: (string | null)[][] = counts.map(() => rows.map(() => null));
  counts.forEach((c, ci) => {
    const held = why[ci];
    rows.forEach((r, i) => {
      const v = r[c];
      if (typeof v === "number" && v > 0 && v < threshold) {
        held[i] = "primary";
        primary += 1;
      }
    });
    for (let changed = true; changed; ) {
      changed = false;
      for (const line of lines) {
        let n = 0;
        for (const i of line) if (held[i] !== null) n += 1;
        if (n !== 1) continue;
        // Withhold the smallest other non-zero count; a zero only when nothing else is left.
        let pick = -1;
        let best = Infinity;
        for (const i of line) {
          if (held[i] !== null) continue;
          const v = rows[i][c];
          if (typeof v !== "number") continue;
          const key = v > 0 ? v : Number.MAX_VALUE;
          if (key < best) {
            best = key;
            pick = i;
          }
        }
        if (pick < 0) continue;
        held[pick] = "secondary";
        secondary += 1;
        changed = true;
      }
    }
  });
  out.forEach((r, i) => {
    const reasons: string[] = [];
    counts.forEach((c, ci) => {
      const w = why[ci][i];
      if (w === null) return;
      (r as Record<string, unknown>)[c] = null;
      reasons.push(`${c}: ${w}`);
    });
    if (reasons.length) {
      for (const d of derived) if (d in r) (r as Record<string, unknown>)[d] = null;
      r.suppressed = reasons.join("; ");
    }
  });
  return { rows: out, primary, secondary, rounded: 0, rule };
}
