import { InputError, failInput, invalidOption } from "@community-safety/core";
import { checkNeighbours, type Neighbours } from "./distance-band.js";

/** Multiple-testing adjustment of {@link pAdjust}. */
export type PAdjustMethod = "BH" | "bonferroni" | "local-bonferroni";

const METHODS: readonly PAdjustMethod[] = ["BH", "bonferroni", "local-bonferroni"];
const FN = "pAdjust";

/**
 * Returns p-values adjusted for multiple testing, one per input, in the input order.
 *
 * - `"BH"` — Benjamini & Hochberg (1995) false discovery rate, exactly R's
 *   `p.adjust(p, "BH")`: with the m present p-values sorted decreasingly,
 *   p̃_(i) = min(1, min_{j ≥ i} m p_(j) / j). Comparing p̃ with α keeps the expected share of
 *   false hot spots among those declared at α. Caldas de Castro & Singer (2006, Geographical
 *   Analysis 38, 180–208) recommend it for local statistics of spatial association; ArcGIS's
 *   "False Discovery Rate (FDR) correction" option is a rule of this kind.
 * - `"bonferroni"` — min(1, m p), R's `p.adjust(p, "bonferroni")`.
 * - `"local-bonferroni"` — min(1, p · |N_i ∪ {i}|): each cell's p-value multiplied by the
 *   number of tests in its own neighbourhood, the cell included, instead of by all m. This is
 *   exactly `spdep::p.adjustSP(p, nb, "bonferroni")` (Yu & Bivand; it uses `card(nb) + 1`
 *   with nb listing neighbours without the cell; its help page cites no source), which is
 *   what sfhotspot's Gi* reports with `p_adjust_method = "bonferroni"`. A prebuilt list that
 *   names the cell itself counts it once.
 *
 * Missing p-values (`NaN`) stay `NaN` and, as in R, do not count in m. The input is not changed.
 *
 * @param p The p-values, each in [0, 1] or `NaN`.
 * @param method `"BH"`, `"bonferroni"` or `"local-bonferroni"`.
 * @param neighbours The CSR neighbour list, required for `"local-bonferroni"` (one row per p-value).
 * @throws InputError `invalid-option` for an unknown method, or `"local-bonferroni"` without
 *   neighbours; `invalid-input` for a p-value outside [0, 1] or a malformed neighbour list;
 *   `length-mismatch` when the list has another number of rows.
 * @example
 * pAdjust([0.01, 0.02, 0.03, 0.04, 0.05], "BH"); // => [0.05, 0.05, 0.05, 0.05, 0.05] (R: p.adjust(.., "BH"))
 * pAdjust([0.01, 0.2], "bonferroni"); // => [0.02, 0.4]
 */
export function pAdjust(p: ArrayLike<number>, method: PAdjustMethod, neighbours?: Neighbours): Float64Array {
  if (!METHODS.includes(method)) invalidOption(FN, "method", '"BH", "bonferroni" or "local-bonferroni"', method);
  if (p === null || p === undefined || typeof (p as { length?: unknown }).length !== "number") failInput("invalid-input", FN, "p", "an array of p-values", p);
  const n = p.length;
  const out = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; ++i) {
    const v = p[i];
    if (typeof v !== "number" || !(Number.isNaN(v) || (v >= 0 && v <= 1))) {
      throw new InputError("invalid-input", `${FN}: p[${i}] must be a p-value in [0, 1] or NaN, got ${String(v)}`);
    }
    out[i] = v;
    if (!Number.isNaN(v)) ++m;
  }
  if (method === "local-bonferroni") {
    if (neighbours === undefined) invalidOption(FN, "neighbours", 'a neighbour list (required by "local-bonferroni")', neighbours);
    checkNeighbours(FN, neighbours, n);
    const { offsets, indices } = neighbours;
    for (let i = 0; i < n; ++i) {
      if (Number.isNaN(out[i])) continue;
      let c = 1;
      for (let e = offsets[i]; e < offsets[i + 1]; ++e) if (indices[e] !== i) ++c;
      out[i] = Math.min(1, out[i] * c);
    }
    return out;
  }
  if (method === "bonferroni") {
    for (let i = 0; i < n; ++i) if (!Number.isNaN(out[i])) out[i] = Math.min(1, out[i] * m);
    return out;
  }
  return benjaminiHochberg(out, m);
}

/** @internal BH in place on `q` (NaN kept), m = number of present values. */
export function benjaminiHochberg(q: Float64Array, m: number): Float64Array {
  const order: number[] = [];
  for (let i = 0; i < q.length; ++i) if (!Number.isNaN(q[i])) order.push(i);
  // decreasing p; ties in any order give the same result (the cumulative minimum runs over the whole tie)
  order.sort((a, b) => q[b] - q[a]);
  let running = Infinity;
  for (let r = 0; r < order.length; ++r) {
    const rank = m - r; // rank of this value in increasing order
    const i = order[r];
    const v = (m / rank) * q[i];
    if (v < running) running = v;
    q[i] = Math.min(1, running);
  }
  return q;
}
