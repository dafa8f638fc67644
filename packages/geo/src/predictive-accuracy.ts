import { failInput, invalidOption } from "@community-safety/core";

const FN = "predictiveAccuracy";

/** One selection of {@link PredictiveAccuracyResult.rows}: the cells predicted at least `threshold`. */
export interface PredictiveAccuracyRow {
  /** The prediction cut-off: cells with `predicted >= threshold` are selected (booleans: 1 = hot). */
  threshold: number;
  /** Cells selected. */
  cells: number;
  /** Their area (a) and its share of the whole study area (a ÷ A). */
  area: number;
  areaShare: number;
  /** Observed incidents in the selected cells (n) and their share of all incidents (the hit rate n ÷ N). */
  hits: number;
  hitRate: number;
  /** Prediction Accuracy Index (n ÷ N) ÷ (a ÷ A); `null` without incidents. */
  pai: number | null;
  /**
   * The largest PAI any selection of the same area could have had (PAI*: the same number of
   * cells, taken by observed count); `null` without incidents or with unequal cell areas.
   */
  paiStar: number | null;
  /** Predictive Efficiency Index PAI ÷ PAI* (0–1); `null` when `paiStar` is `null` or 0. */
  pei: number | null;
}

/** What {@link predictiveAccuracy} returns. */
export interface PredictiveAccuracyResult {
  /** One row per distinct prediction value, from the highest (fewest cells) to the lowest (all cells). */
  rows: PredictiveAccuracyRow[];
  /** Total observed incidents N and total area A. */
  incidents: number;
  area: number;
  /** Whether every cell has the same area (PEI needs it). */
  equalAreas: boolean;
  /** Why `pai`/`pei` are `null`, else `null`. */
  reason: string | null;
}

/**
 * Returns how well a prediction of hot cells (a hotspot map made from last year's data, a KDE
 * surface, a list of streets) found the incidents that then happened: the Prediction Accuracy
 * Index and the Predictive Efficiency Index for each cumulative selection of the cells ranked
 * by prediction.
 *
 * - **PAI** (Chainey, Tompson & Uhlig 2008, "The utility of hotspot mapping for predicting spatial
 *   patterns of crime", *Security Journal* 21:4–28): PAI = (n ÷ N) ÷ (a ÷ A), the hit rate over the
 *   area share — how many times more incidents the selection caught than its share of the area.
 * - **PEI** (Hunt 2016, the efficiency index of NIJ's Real-Time Crime Forecasting Challenge;
 *   discussed, with the later PEI* variant, by White, Hunt & Green 2023, *Security Journal*):
 *   PEI = PAI ÷ PAI*, where PAI* is the PAI of the best possible selection of the same area — with
 *   equal cells, the same number of cells taken by observed count. It is computed only for equal
 *   areas (with unequal areas the best same-area selection is a knapsack problem): otherwise
 *   `paiStar` and `pei` are `null`.
 *
 * **Selections.** Cells are ranked by `predicted`, highest first, and row k selects every cell
 * predicted at least the k-th highest distinct value — so for distinct predictions row k is
 * "the top k cells", and tied cells always enter together (no arbitrary order among ties). With
 * `predicted` as booleans (or 0/1), the first row is the predicted-hot cells and the last is
 * all cells. Example: observed (6, 3, 0), predicted (3, 2, 1), equal areas, N = 9, A = 3:
 * top 1 → (6/9)/(1/3) = 2, top 2 → (9/9)/(2/3) = 1.5, all → 1; PAI* is the same (the prediction
 * ranks the cells as the outcome did), so PEI = 1 throughout.
 *
 * Without `areas` every cell has area 1. No incidents: PAI and PEI are `null` with a reason.
 *
 * @throws InputError `length-mismatch` when `predicted` or `areas` differ in length from `observed`.
 * @throws InputError `invalid-option` when an observed count is negative or not finite, a
 *   prediction is not a finite number or boolean, or an area is not positive and finite.
 * @example
 * predictiveAccuracy([6, 3, 0], [3, 2, 1]).rows.map((r) => r.pai); // => [2, 1.5, 1]
 * predictiveAccuracy([6, 3, 0], [1, 2, 3]).rows.map((r) => r.pei); // => [0, 0.3333333333333333, 1]
 */
export function predictiveAccuracy(
  observed: ArrayLike<number>,
  predicted: ArrayLike<number> | ArrayLike<boolean>,
  areas?: ArrayLike<number> | null,
): PredictiveAccuracyResult {
  const isList = (v: unknown): v is ArrayLike<unknown> => v !== null && typeof v === "object" && typeof (v as ArrayLike<unknown>).length === "number";
  if (!isList(observed)) invalidOption(FN, "observed", "an array of counts", observed);
  if (!isList(predicted)) invalidOption(FN, "predicted", "an array of numbers or booleans", predicted);
  const n = observed.length;
  if (predicted.length !== n) failInput("length-mismatch", FN, "predicted", `the length of observed (${n})`, `length ${predicted.length}`);
  if (areas !== undefined && areas !== null) {
    if (!isList(areas)) invalidOption(FN, "areas", "an array of positive areas", areas);
    if (areas.length !== n) failInput("length-mismatch", FN, "areas", `the length of observed (${n})`, `length ${areas.length}`);
  }
  const obs = new Float64Array(n);
  const pred = new Float64Array(n);
  const area = new Float64Array(n);
  let N = 0;
  let A = 0;
  let equalAreas = true;
  for (let i = 0; i < n; ++i) {
    const o = observed[i];
    if (typeof o !== "number" || !(o >= 0) || o === Infinity) invalidOption(FN, `observed[${i}]`, "a non-negative finite number", o);
    const p = predicted[i] as unknown;
    if (typeof p === "boolean") pred[i] = p ? 1 : 0;
    else if (typeof p === "number" && Number.isFinite(p)) pred[i] = p;
    else invalidOption(FN, `predicted[${i}]`, "a finite number or a boolean", p);
    const a = areas ? areas[i] : 1;
    if (typeof a !== "number" || !(a > 0) || a === Infinity) invalidOption(FN, `areas[${i}]`, "a positive finite number", a);
    obs[i] = o;
    area[i] = a;
    N += o;
    A += a;
    if (a !== area[0]) equalAreas = false;
  }
  // Cells by prediction, highest first; observed counts highest first (for PAI*).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => pred[b] - pred[a] || a - b);
  const best = Float64Array.from(obs).sort().reverse();
  const rows: PredictiveAccuracyRow[] = [];
  let hits = 0;
  let a = 0;
  let bestHits = 0;
  for (let k = 0; k < n; ) {
    const t = pred[order[k]];
    while (k < n && pred[order[k]] === t) {
      hits += obs[order[k]];
      a += area[order[k]];
      bestHits += best[k];
      ++k;
    }
    const areaShare = a / A;
    const hitRate = N > 0 ? hits / N : 0;
    const pai = N > 0 ? hitRate / areaShare : null;
    const paiStar = N > 0 && equalAreas ? bestHits / N / areaShare : null;
    rows.push({ threshold: t, cells: k, area: a, areaShare, hits, hitRate, pai, paiStar, pei: pai !== null && paiStar ? pai / paiStar : null });
  }
  const reason = N === 0 ? "no incidents: PAI and PEI are undefined" : equalAreas ? null : "cells differ in area: PEI (the best same-area selection) is not computed";
  return { rows, incidents: N, area: A, equalAreas, reason };
}
