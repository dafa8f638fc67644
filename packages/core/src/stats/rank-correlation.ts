import { invalidOption } from "../errors.js";
import { betaCdf } from "./distributions.js";

/** Result of {@link rankCorrelation}. */
export interface RankCorrelationResult {
  /** Spearman's ρ: Pearson's correlation of the ranks (ties share their average rank). */
  readonly rho: number;
  /** Pairs used (both values finite). */
  readonly n: number;
  /** Two-sided p-value of ρ = 0 by the t approximation, t = ρ √((n − 2)/(1 − ρ²)) on n − 2 df (R `cor.test(x, y, method = "spearman", exact = FALSE)`); `null` for n < 3. */
  readonly pValue: number | null;
}

/** Average ranks (1-based) of `v`, ties sharing the mean of their ranks. */
export function averageRanks(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const ranks = new Float64Array(n);
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && v[order[b]] === v[order[a]]) b += 1;
    const r = (a + b + 1) / 2;
    for (let k = a; k < b; ++k) ranks[order[k]] = r;
    a = b;
  }
  return ranks;
}

/**
 * Spearman's rank correlation of paired values — "do areas with more ASB have more deliberate
 * fires?", "do the two series rise and fall together?" — with the two-sided p-value of the t
 * approximation R uses with ties (`cor.test(x, y, method = "spearman", exact = FALSE)`). Pairs
 * with a non-finite value on either side are left out (a month a source does not cover).
 *
 * @example
 * rankCorrelation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).rho // => 0.8
 * @throws InputError `invalid-option` when x and y differ in length.
 */
export function rankCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): RankCorrelationResult {
  if (x.length !== y.length) invalidOption("rankCorrelation", "y", `as long as x (${x.length})`, y.length);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; ++i) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  const n = xs.length;
  const rx = averageRanks(xs);
  const ry = averageRanks(ys);
  const m = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; ++i) {
    sxy += (rx[i] - m) * (ry[i] - m);
    sxx += (rx[i] - m) ** 2;
    syy += (ry[i] - m) ** 2;
  }
  const rho = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
  if (n < 3 || !Number.isFinite(rho)) return { rho, n, pValue: null };
  const df = n - 2;
  if (Math.abs(rho) >= 1) return { rho, n, pValue: 0 };
  const t2 = (rho * rho * df) / (1 - rho * rho);
  return { rho, n, pValue: betaCdf(df / (df + t2), df / 2, 0.5) };
}
