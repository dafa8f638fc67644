import { invalidOption } from "@community-safety/core";

const FN = "concentration";

/** Options for {@link concentration}. */
export interface ConcentrationOptions {
  /** Shares of incidents for which to find the fewest units holding them, each in (0, 1]. Default `[0.25, 0.5]`. */
  shares?: readonly number[];
}

/** One entry of {@link ConcentrationResult.shares}. */
export interface ConcentrationShare {
  /** The share of incidents asked for (e.g. 0.25). */
  incidentShare: number;
  /** The fewest units, counted from the most incidents down, holding at least that share; `null` without incidents. */
  units: number | null;
  /** `units` ÷ all units (zero-count units included); `null` without incidents. */
  unitShare: number | null;
  /** The share those units actually hold (≥ `incidentShare`); `null` without incidents. */
  heldShare: number | null;
}

/** What {@link concentration} returns. */
export interface ConcentrationResult {
  /** Number of units (streets, places, cells), zero-count ones included. */
  units: number;
  /** Total incidents (the sum of the counts). */
  incidents: number;
  /** Units with a count above zero. */
  unitsWithIncidents: number;
  shares: ConcentrationShare[];
  /**
   * Gini coefficient, the plain (biased) form: G = Σᵢ Σⱼ |xᵢ − xⱼ| ÷ (2 n² x̄)
   * = 2 Σᵢ i·x₍ᵢ₎ ÷ (n Σx) − (n + 1) ÷ n with x ascending — at most (n − 1) ÷ n.
   * `null` without units or incidents (see `reason`).
   */
  gini: number | null;
  /** G · n ÷ (n − 1), which reaches 1 when one unit holds everything (DescTools `Gini(unbiased = TRUE)`); `null` when n < 2. */
  giniUnbiased: number | null;
  /**
   * Bernasco & Steenbeek's generalised Gini G′ = max(1, n ÷ N) · (G − 1) + 1 for N incidents in n
   * units: with fewer incidents than units the most equal attainable distribution puts one
   * incident in each of N units, and G′ measures concentration against that instead of against
   * perfect equality. Equals G when N ≥ n. `null` as `gini`.
   */
  generalisedGini: number | null;
  /** G′ · m ÷ (m − 1) with m = min(n, N) (lorenzgini `gini(generalized = TRUE, unbiased = TRUE)`); `null` when m < 2. */
  generalisedGiniUnbiased: number | null;
  /**
   * The Lorenz curve with units in ascending order of count: point k (k = 0…n) is
   * (`units[k]` = k ÷ n, `incidents[k]` = share held by the k smallest units). `null` without
   * incidents. (Read from the top: the largest j units hold 1 − `incidents[n − j]`.)
   */
  lorenz: { units: Float64Array; incidents: Float64Array } | null;
  /** Why the coefficients are `null`, else `null`. */
  reason: string | null;
}

/**
 * Returns how concentrated incidents are across units (streets, places, grid cells): the fewest
 * units holding 25% and 50% of incidents and their share of all units, the Gini coefficient
 * (plain and n ÷ (n − 1) corrected), the generalised Gini of Bernasco & Steenbeek (2017), and the
 * Lorenz curve.
 *
 * **Share convention.** For each incident share p the units are taken from the most incidents
 * down, and `units` is the smallest number whose incidents reach at least p of the total
 * (ties do not matter: any order of tied units gives the same number). `unitShare` divides by
 * *every* unit given, zero-count ones included — so pass zeros for the units without incidents
 * when they are known (all streets, all grid cells). Counts from {@link streetCounts} list only
 * streets with at least one incident, so their shares are "of streets with crime".
 *
 * **Generalised Gini.** Bernasco, W. & Steenbeek, W. (2017) "More places than crimes:
 * implications for evaluating the law of crime concentration at place", *J Quant Criminol*
 * 33:451–467. With N < n the ordinary Gini is biased upwards: 8 incidents on 8 of 10 streets,
 * one each — as even as 8 incidents can be — give G = 0.2, and a single incident gives
 * (n − 1) ÷ n. G′ instead measures the area between the Lorenz curve and the line of maximal
 * *attainable* equality (N units with one incident each), relative to the area under that line:
 * G′ = max(1, n ÷ N)·(G − 1) + 1, as in the authors' R package lorenzgini (`gini(x, generalized =
 * TRUE, unbiased = FALSE)`). For counts (5, 2, 1, 0 × 7): G = 0.8, G′ = 0.75.
 *
 * Counts may be non-integer (weights); the generalised form assumes counts of events.
 * Empty input: everything `null` with a reason. The input is not modified.
 *
 * @throws InputError `invalid-option` when a count is negative, NaN or infinite, or a share is
 *   not in (0, 1].
 * @example
 * const c = concentration([5, 2, 1, 0, 0, 0, 0, 0, 0, 0]);
 * c.gini; // => 0.8
 * c.generalisedGini; // => 0.75
 * c.shares; // => [{ incidentShare: 0.25, units: 1, unitShare: 0.1, heldShare: 0.625 }, { incidentShare: 0.5, units: 1, … }]
 */
export function concentration(counts: ArrayLike<number>, options: ConcentrationOptions = {}): ConcentrationResult {
  const { shares = [0.25, 0.5] } = options ?? {};
  if (counts === null || typeof counts !== "object" || typeof counts.length !== "number") invalidOption(FN, "counts", "an array of non-negative counts", counts);
  if (!Array.isArray(shares) || shares.some((p) => typeof p !== "number" || !(p > 0 && p <= 1))) invalidOption(FN, "shares", "a list of shares in (0, 1]", shares);
  const n = counts.length;
  const sorted = new Float64Array(n);
  let total = 0;
  let nonZero = 0;
  for (let i = 0; i < n; ++i) {
    const v = counts[i];
    if (typeof v !== "number" || !(v >= 0) || v === Infinity) invalidOption(FN, `counts[${i}]`, "a non-negative finite number", v);
    sorted[i] = v;
    total += v;
    if (v > 0) ++nonZero;
  }
  const base = { units: n, incidents: total, unitsWithIncidents: nonZero };
  if (n === 0 || total === 0) {
    return {
      ...base,
      shares: shares.map((p) => ({ incidentShare: p, units: null, unitShare: null, heldShare: null })),
      gini: null,
      giniUnbiased: null,
      generalisedGini: null,
      generalisedGiniUnbiased: null,
      lorenz: null,
      reason: n === 0 ? "no units: concentration is undefined" : "no incidents: concentration is undefined",
    };
  }
  sorted.sort(); // ascending (typed-array sort is numeric)

  // Lorenz curve and Σ i·x(i) in one pass.
  const lu = new Float64Array(n + 1);
  const li = new Float64Array(n + 1);
  let cum = 0;
  let weighted = 0;
  for (let k = 0; k < n; ++k) {
    cum += sorted[k];
    weighted += (k + 1) * sorted[k];
    lu[k + 1] = (k + 1) / n;
    li[k + 1] = cum / total;
  }
  li[n] = 1;
  // One division each, so integer counts give exact results where the value is representable:
  // G = (2W − (n + 1)S) ÷ (nS), and for S < n, G′ = 1 − (n/S)(1 − G) = (S² − (2n + 1)S + 2W) ÷ S².
  const gini = (2 * weighted - (n + 1) * total) / (n * total);
  const giniUnbiased = n > 1 ? (gini * n) / (n - 1) : null;
  const generalisedGini = total < n ? (total * total - (2 * n + 1) * total + 2 * weighted) / (total * total) : gini;
  const m = Math.min(n, total);
  const generalisedGiniUnbiased = m > 1 ? (generalisedGini * m) / (m - 1) : null;

  // Fewest units from the top reaching each share (a relative tolerance absorbs rounding in p·N).
  const out: ConcentrationShare[] = shares.map((p) => {
    const need = p * total * (1 - 1e-12);
    let held = 0;
    let k = 0;
    while (k < n && held < need) held += sorted[n - 1 - k++];
    return { incidentShare: p, units: k, unitShare: k / n, heldShare: held / total };
  });
  return { ...base, shares: out, gini, giniUnbiased, generalisedGini, generalisedGiniUnbiased, lorenz: { units: lu, incidents: li }, reason: null };
}
