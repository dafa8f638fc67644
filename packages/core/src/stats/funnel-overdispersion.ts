import { checkCount, checkPositive } from "./check.js";
import { chiSquareCdf } from "./distributions.js";
import { failInput, invalidOption } from "../errors.js";

/** Options for {@link funnelOverdispersion}. */
export interface FunnelOverdispersionOptions {
  /**
   * Share of the z-scores winsorised at each end, at least 0 and below ½: the lowest share are
   * set to the z-scores' `winsorise` quantile and the highest to their 1 − `winsorise`
   * quantile. Default 0.1 (10% and 90%, as Spiegelhalter 2005).
   */
  winsorise?: number;
}

/** Result of {@link funnelOverdispersion}. */
export interface FunnelOverdispersionResult {
  /** Number of units I. */
  n: number;
  /** Each unit's z-score on the square-root scale, 2(√O − √E). */
  z: number[];
  /** The z-scores after winsorising. */
  zWinsorised: number[];
  /** The winsorising bounds: the z-scores' `winsorise` and 1 − `winsorise` quantiles (`null` for no units). */
  bounds: [number, number] | null;
  winsorise: number;
  /** The over-dispersion factor φ̂ = Σ z_W² ÷ I (`null` for no units). */
  phi: number | null;
  /** The test statistic I·φ̂ (`null` for no units). */
  statistic: number | null;
  /** I − 1: I·φ̂ is compared with it. */
  df: number;
  /** P(χ²(I − 1) ≥ I·φ̂), for reference (`null` for fewer than two units). */
  pValue: number | null;
  /** I·φ̂ > I − 1: the units vary more than chance allows, so τ² > 0. */
  overdispersed: boolean;
  /** Between-unit variance τ² on the square-root scale of O/E; 0 when not over-dispersed. */
  tau2: number;
}

/**
 * The over-dispersion of counts against their expected counts, and the additive random-effects
 * variance τ² that funnel limits need to allow for it (Spiegelhalter 2005, "Handling
 * over-dispersion of performance indicators", Qual Saf Health Care 14:347–351).
 *
 * Each unit's indicator is the standardised ratio O/E (target 1), taken on the square-root
 * scale, which stabilises the variance of Poisson counts: y = √(O/E), s = 1/(2√E), so
 * z = (y − 1)/s = 2(√O − √E). The z-scores are winsorised (the lowest 10% set to their 10%
 * quantile, the highest 10% to their 90% quantile; quantiles by linear interpolation, R's
 * `quantile(type = 7)` — the paper names no definition) and φ̂ = Σ z_W² ÷ I. When I·φ̂ > I − 1
 * (the test of no over-dispersion), τ̂² = (I·φ̂ − (I − 1)) ÷ (Σw − Σw² ÷ Σw) with w = 1/s² = 4E;
 * otherwise τ² = 0. Limits are then 1 ± z_α √(s² + τ²) on the square-root scale (see
 * `funnelLimits`). The p-value P(χ²(I − 1) ≥ I·φ̂) is reported for reference; the decision is
 * the paper's I·φ̂ > I − 1. With fewer than two units τ² is 0.
 *
 * Empty input gives `n` 0, `null` statistics and τ² = 0.
 *
 * @throws InputError `length-mismatch` when the arrays differ in length; `invalid-option` when
 *   a count is not a non-negative integer, an expected count is not positive and finite, or
 *   `winsorise` is not in [0, ½).
 * @example
 * const d = funnelOverdispersion([30, 5, 12, 0, 41, 7, 95, 18], [23.06, 28.82, 17.29, 9.22, 35.74, 7.38, 59.95, 26.52]);
 * d.overdispersed; // => true (I·φ̂ ≈ 86.9 against 7)
 * d.tau2; // => 0.1157 (to 4 dp)
 */
export function funnelOverdispersion(counts: ArrayLike<number>, expected: ArrayLike<number>, options: FunnelOverdispersionOptions = {}): FunnelOverdispersionResult {
  const fn = "funnelOverdispersion";
  if (options === null || typeof options !== "object") invalidOption(fn, "options", "an object", options);
  const winsorise = options.winsorise ?? 0.1;
  if (!(typeof winsorise === "number" && winsorise >= 0 && winsorise < 0.5)) invalidOption(fn, "winsorise", "a share at least 0 and below 0.5", winsorise);
  if (counts === null || typeof counts !== "object" || typeof counts.length !== "number") invalidOption(fn, "counts", "an array of counts", counts);
  if (expected === null || typeof expected !== "object" || typeof expected.length !== "number") invalidOption(fn, "expected", "an array of expected counts", expected);
  if (counts.length !== expected.length) failInput("length-mismatch", fn, "expected", `the same length as counts (${counts.length})`, expected.length);
  const n = counts.length;
  for (let i = 0; i < n; ++i) {
    checkCount(fn, `counts[${i}]`, counts[i]);
    checkPositive(fn, `expected[${i}]`, expected[i]);
  }
  const z = new Array<number>(n);
  for (let i = 0; i < n; ++i) z[i] = 2 * (Math.sqrt(counts[i]) - Math.sqrt(expected[i]));
  if (n === 0) return { n, z, zWinsorised: [], bounds: null, winsorise, phi: null, statistic: null, df: 0, pValue: null, overdispersed: false, tau2: 0 };
  const sorted = Float64Array.from(z).sort();
  const bounds: [number, number] = [quantile7(sorted, winsorise), quantile7(sorted, 1 - winsorise)];
  const zWinsorised = z.map((v) => Math.min(Math.max(v, bounds[0]), bounds[1]));
  let ss = 0;
  for (const v of zWinsorised) ss += v * v;
  const phi = ss / n;
  const statistic = n * phi;
  const df = n - 1;
  const overdispersed = n >= 2 && statistic > df;
  let tau2 = 0;
  if (overdispersed) {
    let sw = 0;
    let sw2 = 0;
    for (let i = 0; i < n; ++i) {
      const w = 4 * expected[i];
      sw += w;
      sw2 += w * w;
    }
    tau2 = (statistic - df) / (sw - sw2 / sw);
  }
  const pValue = n >= 2 ? chiSquareCdf(statistic, df, { lowerTail: false }) : null;
  return { n, z, zWinsorised, bounds, winsorise, phi, statistic, df, pValue, overdispersed, tau2 };
}

/** The p-quantile of ascending values by linear interpolation (R's type 7, numpy's default). */
function quantile7(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const g = h - lo;
  return g === 0 ? sorted[lo] : (1 - g) * sorted[lo] + g * sorted[hi];
}
