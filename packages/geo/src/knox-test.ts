import KDBush from "kdbush";
import { LANES, bandCountsSimd, gapHistogram } from "./knox-kernel.js";
import { type IncidentTable, InputError, PRECISION, PRECISIONS, clockFor, describeValue, failInput, invalidOption, valueMask, xoshiroSeedState } from "@community-safety/core";

/** Events for {@link knoxTest} without an incident table. */
export interface KnoxEvents {
  /** Projected x in metres (`NaN` = no location: the event is left out). */
  readonly x: ArrayLike<number>;
  /** Projected y in metres. */
  readonly y: ArrayLike<number>;
  /** Time in days from any origin (fractions allowed; `NaN` = unknown: left out). */
  readonly t: ArrayLike<number>;
}

/** Options for {@link knoxTest}. */
export interface KnoxTestOptions {
  /**
   * Distance band breaks in metres, strictly increasing from ≥ 0, at least two: `[0, 100,
   * 200]` gives the half-open bands `[0, 100)` and `[100, 200)`. Pairs closer than the first
   * break or at least the last are in no band (as `cut(…, right = FALSE)` in NearRepeat).
   * Required.
   */
  distanceBands: readonly number[];
  /** Time band breaks in days, as `distanceBands`: `[0, 7, 14]` gives `[0, 7)` and `[7, 14)`. Required. */
  timeBands: readonly number[];
  /** Monte Carlo permutations of the times over the locations, 1 – 1,000,000. Default 999. */
  permutations?: number;
  /** Seed of core's `seededRandom` (xoshiro128**) for the permutations, an integer 0 – 2³² − 1. Default 1. */
  seed?: number;
  /** `"euclidean"` (default, as the Near Repeat Calculator) or `"manhattan"` (NearRepeat's default). */
  metric?: "euclidean" | "manhattan";
  /** Category keys to test (incident tables only). Default: every incident. */
  categories?: readonly string[];
  /**
   * Which instant of an incident's `[start, end)` window is its time (incident tables only):
   * `"start"` (default; the one date the Near Repeat Calculator takes, and a whole day for
   * day-precision records) or `"midpoint"` (the aoristic midpoint of a from/to window).
   */
  time?: "start" | "midpoint";
}

/** One distance band × time band cell of a {@link KnoxTestResult}. */
export interface KnoxCell {
  /** Distance band `[distanceFrom, distanceTo)` in metres. */
  readonly distanceFrom: number;
  readonly distanceTo: number;
  /** Time band `[timeFrom, timeTo)` in days. */
  readonly timeFrom: number;
  readonly timeTo: number;
  /** Pairs of events in both bands. */
  readonly observed: number;
  /**
   * The exact expected count under random permutation of the times (the mean over all n!
   * permutations): spacePairs × timePairs / totalPairs.
   */
  readonly expected: number;
  /** Mean count over the Monte Carlo permutations. */
  readonly meanPermuted: number;
  /** Standard deviation (n − 1) of the count over the permutations. */
  readonly sdPermuted: number;
  /** `observed / meanPermuted` (NearRepeat's and the Near Repeat Calculator's Knox ratio); `null` when the mean is 0. */
  readonly knoxRatio: number | null;
  /** `(1 + #{permuted ≥ observed}) / (permutations + 1)`: one-sided, for an excess of close pairs. */
  readonly pValue: number;
  /** `(observed − meanPermuted) / sdPermuted`; `null` when the permuted counts do not vary. */
  readonly z: number | null;
  /** Why `knoxRatio` or `z` is `null`, otherwise `null`. */
  readonly reason: string | null;
}

/** What {@link knoxTest} returns. */
export interface KnoxTestResult {
  /** Events tested (with a location and a time). */
  readonly events: number;
  /** Incidents considered but left out for want of a location or time. */
  readonly excluded: number;
  /** All pairs, n(n − 1)/2. */
  readonly totalPairs: number;
  /** Pairs within a distance band (stored once: the memory the test needs). */
  readonly closePairs: number;
  /** All pairs in each distance band. */
  readonly spacePairs: readonly number[];
  /** All pairs in each time band. */
  readonly timePairs: readonly number[];
  readonly distanceBands: readonly number[];
  readonly timeBands: readonly number[];
  readonly permutations: number;
  readonly seed: number;
  readonly metric: "euclidean" | "manhattan";
  /** Cells by distance band, then time band (row-major: `cells[d * nTime + t]`). */
  readonly cells: readonly KnoxCell[];
  /** Plain-English reading of the first cell (closest in space and time). */
  readonly sentence: string;
  /** The method variant. */
  readonly method: string;
}

const FN = "knoxTest";
const MINUTES_PER_DAY = 1440;
/** Most close pairs stored (Int32 offsets; 2³¹ − 1 pairs would take 8 GiB). */
const MAX_PAIRS = 2 ** 31 - 1;

/**
 * The Knox space–time interaction test for near repeats, as in Ratcliffe's Near Repeat
 * Calculator and Steenbeek's R package NearRepeat: for every pair of events, its distance
 * band × time band cell; the observed count per cell; and the counts when the times are
 * randomly permuted over the locations (Monte Carlo, seeded), giving per cell the Knox ratio
 * observed / mean permuted, the p-value (1 + #{permuted ≥ observed}) / (permutations + 1),
 * and a z-score. It also gives the exact expected count under permutation,
 * spacePairs × timePairs / totalPairs (a pair's permuted times are a uniformly random pair
 * of the n times, whatever the permutation scheme's RNG).
 *
 * Bands are half-open `[a, b)`: two events 100 m apart are in `[100, 200)`, not `[0, 100)`.
 * Distances are Euclidean (or Manhattan) in the data's metres; time gaps are |tᵢ − tⱼ| in
 * days. For an incident table the time is the local wall-clock time (in `table.zone`) of the
 * window start (or midpoint) in days, so day-precision records are whole days apart whatever
 * the clock changes; records must be known to the day or finer.
 *
 * Memory is bounded by the close pairs, never n²: pairs within the last distance break are
 * found with a kdbush index and stored once (4 bytes a pair, grouped by event and distance
 * band, plus n × bands offsets); each permutation recomputes only their time bands. Time
 * O(n log n + P · permutations) for P close pairs. NearRepeat instead holds the full n(n − 1)/2
 * distance vector and recomputes a full time-distance vector for every permutation. When every
 * time is a whole number of days (day-precision records, and the usual plain events) within
 * 32,766 days, and there are at most 12 time breaks, eight permutations are counted in one pass
 * over the pairs in WebAssembly SIMD (one 16-byte load per pair brings the partner's day in
 * all eight, then a compare per break: about 0.2 ns a pair per permutation); otherwise (or
 * where the runtime refuses WebAssembly SIMD) each permutation counts the pairs into a
 * histogram of signed day gaps per distance band (WebAssembly, or JavaScript), and times that
 * are not whole days are compared with the breaks. The loops give the same counts, and the
 * permutations (and so the p-values for a seed) are the same whichever runs.
 *
 * With fewer than two events every count is 0 and the ratios are `null`.
 *
 * @param data An incident table (its `x`, `y`, `start`, `end`, `precision`, `zone`, `category`) or {@link KnoxEvents} with times in days.
 * @throws InputError `invalid-option` for bad bands, permutations, seed, metric or time, or
 *   `categories`/`time` with plain events; `unknown-category` for an empty `categories` list;
 *   `length-mismatch` for arrays of different lengths; `precision-too-coarse` when a tested
 *   incident's time is known only to the month or year (police.uk): the test needs days.
 * @example
 * // Two events 100 m and 3 days apart: the pair is in [100, 200) m × [0, 7) days.
 * knoxTest({ x: [0, 100], y: [0, 0], t: [0, 3] }, { distanceBands: [0, 100, 200], timeBands: [0, 7, 14] }).cells.map((c) => c.observed);
 * // => [0, 0, 1, 0]
 * knoxTest(residentialBurglary, { distanceBands: [0, 100, 200], timeBands: [0, 42, 84] }).cells[0];
 * // => { distanceFrom: 0, distanceTo: 100, timeFrom: 0, timeTo: 42, observed: 851, expected: 761.8, knoxRatio: 1.117, pValue: 0.002, … }
 * // (residential burglary of syntheticBorough({ seed: 1 }), default 999 permutations and seed 1)
 */
export function knoxTest(data: IncidentTable | KnoxEvents, options: KnoxTestOptions): KnoxTestResult {
  const opts = options ?? ({} as KnoxTestOptions);
  const { categories, time } = opts;
  const distanceBands = checkBreaks("distanceBands", opts.distanceBands);
  const timeBands = checkBreaks("timeBands", opts.timeBands);
  const permutations = opts.permutations ?? 999;
  if (!Number.isInteger(permutations) || permutations < 1 || permutations > 1_000_000) invalidOption(FN, "permutations", "an integer from 1 to 1,000,000", opts.permutations);
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) invalidOption(FN, "seed", "an integer from 0 to 2^32 - 1", opts.seed);
  const metric = opts.metric ?? "euclidean";
  if (metric !== "euclidean" && metric !== "manhattan") invalidOption(FN, "metric", '"euclidean" or "manhattan"', opts.metric);
  if (time !== undefined && time !== "start" && time !== "midpoint") invalidOption(FN, "time", '"start" or "midpoint"', time);

  const { xs, ys, ts, excluded } = extractEvents(data, categories, time);
  const n = xs.length;
  const nd = distanceBands.length - 1;
  const nt = timeBands.length - 1;

  const pairs = closePairs(xs, ys, distanceBands, metric);
  const P = pairs.length;
  const { order } = pairs;
  const tBreaks = Float64Array.from(timeBands);
  const tsOrdered = new Float64Array(n);
  for (let k = 0; k < n; ++k) tsOrdered[k] = ts[order[k]];
  const spacePairs = pairs.perBand;
  const timePairs = timeBandPairs(ts, timeBands);
  const totalPairs = (n * (n - 1)) / 2;

  // Whole-day times (the usual case) are counted through a histogram of integer day gaps;
  // other times through the band breaks. Both give the same counts for the same times.
  const counter =
    simdCounter(pairs, nd, tsOrdered, tBreaks) ?? dayGapCounter(pairs, nd, tsOrdered, tBreaks) ?? breakCounter(pairs, nd, tsOrdered, tBreaks);
  const cellsN = nd * nt;
  const observed = new Float64Array(cellsN);
  counter.observed(observed);

  const sum = new Float64Array(cellsN);
  const sumSq = new Float64Array(cellsN);
  const atLeast = new Float64Array(cellsN);
  if (n >= 2) {
    counter.permuted(xoshiroSeedState(seed), permutations, (counts) => {
      for (let c = 0; c < cellsN; ++c) {
        const v = counts[c];
        sum[c] += v;
        sumSq[c] += v * v;
        if (v >= observed[c]) atLeast[c] += 1;
      }
    });
  } else atLeast.fill(permutations); // no pairs: every permuted count (0) ≥ observed (0)

  const cells: KnoxCell[] = [];
  for (let d = 0; d < nd; ++d) {
    for (let t = 0; t < nt; ++t) {
      const c = d * nt + t;
      const mean = sum[c] / permutations;
      const variance = permutations > 1 ? Math.max(0, (sumSq[c] - permutations * mean * mean) / (permutations - 1)) : 0;
      const sd = Math.sqrt(variance);
      const obs = observed[c];
      let reason: string | null = null;
      if (mean === 0) reason = n < 2 ? "fewer than two events" : "no pairs in this cell in any permutation";
      else if (sd === 0) reason = "permuted counts do not vary";
      cells.push({
        distanceFrom: distanceBands[d],
        distanceTo: distanceBands[d + 1],
        timeFrom: timeBands[t],
        timeTo: timeBands[t + 1],
        observed: obs,
        expected: totalPairs > 0 ? (spacePairs[d] * timePairs[t]) / totalPairs : 0,
        meanPermuted: mean,
        sdPermuted: sd,
        knoxRatio: mean > 0 ? obs / mean : null,
        pValue: (1 + atLeast[c]) / (permutations + 1),
        z: sd > 0 ? (obs - mean) / sd : null,
        reason,
      });
    }
  }
  return {
    events: n,
    excluded,
    totalPairs,
    closePairs: P,
    spacePairs,
    timePairs,
    distanceBands,
    timeBands,
    permutations,
    seed,
    metric,
    cells,
    sentence: sentenceFor(cells[0], permutations),
    method: `Knox test: pairs by ${metric} distance band × time band (half-open), times permuted over locations ${permutations} times (Fisher–Yates, seededRandom seed ${seed}); Knox ratio = observed / mean permuted, p = (1 + #permuted ≥ observed) / (permutations + 1), as NearRepeat (Steenbeek) and the Near Repeat Calculator (Ratcliffe); close pairs counted ${counter.how}`,
  };
}

// ---------------------------------------------------------------------------------------
// Kernels.

/**
 * Close pairs in CSR form grouped by event and distance band: the partners `j > i` of event
 * `i` (positions in `order`) in distance band `d` are `partners[offsets[i * nd + d] …
 * offsets[i * nd + d + 1])`. Each pair is stored once (4 bytes) and needs no band field.
 */
interface PairList {
  readonly length: number;
  readonly offsets: Int32Array;
  readonly partners: Int32Array;
  /** Pairs per distance band. */
  readonly perBand: number[];
  /** Position → input index: events relabelled in the kd-tree's spatial order, so pairs near in space are near in memory. */
  readonly order: Uint32Array;
}

/**
 * Finds every pair with distance in `[breaks[0], breaks[last])` through a kdbush index
 * (radius queries at the last break), storing each pair once, in the index's spatial order.
 * @internal
 */
export function closePairs(xs: Float64Array, ys: Float64Array, breaks: readonly number[], metric: "euclidean" | "manhattan"): PairList {
  const n = xs.length;
  const nd = breaks.length - 1;
  const dMin = breaks[0];
  const dMax = breaks[nd];
  const offsets = new Int32Array(n * nd + 1);
  const perBand = new Array<number>(nd).fill(0);
  let cap = 1024;
  let partners = new Int32Array(cap);
  let len = 0;
  if (n < 2) return { length: 0, offsets, partners: partners.subarray(0, 0), perBand, order: Uint32Array.from({ length: n }, (_, k) => k) };
  const index = new KDBush(n);
  for (let i = 0; i < n; ++i) index.add(xs[i], ys[i]);
  index.finish();
  const order = Uint32Array.from(index.ids);
  // The index's coordinates in its own (kd) order: searching them directly gives positions,
  // so the candidates' coordinates are read near each other rather than by input index.
  const coords = index.coords as Float64Array;
  const found = new Int32Array(n);
  const foundBand = new Int32Array(n);
  const bandCount = new Int32Array(nd);
  const stack = new Int32Array(3 * 64);
  for (let a = 0; a < n; ++a) {
    const xa = coords[2 * a];
    const ya = coords[2 * a + 1];
    const k = positionsWithin(coords, index.nodeSize, a + 1, n - 1, xa, ya, dMax, found, stack); // closed radius: a superset for both metrics
    let kept = 0;
    bandCount.fill(0);
    for (let m = 0; m < k; ++m) {
      const b = found[m];
      const dx = xa - coords[2 * b];
      const dy = ya - coords[2 * b + 1];
      const d = metric === "euclidean" ? Math.sqrt(dx * dx + dy * dy) : Math.abs(dx) + Math.abs(dy);
      if (!(d >= dMin && d < dMax)) continue;
      let c = 0;
      while (d >= breaks[c + 1]) ++c;
      found[kept] = b; // reuse: kept partners (positions) and their bands
      foundBand[kept++] = c;
      bandCount[c] += 1;
    }
    if (len + kept > cap) {
      if (len + kept > MAX_PAIRS) invalidOption(FN, "distanceBands", `a last break small enough that fewer than ${MAX_PAIRS} pairs are close`, breaks);
      while (len + kept > cap) cap = Math.min(2 * cap, MAX_PAIRS);
      const next = new Int32Array(cap);
      next.set(partners.subarray(0, len));
      partners = next;
    }
    // Counting sort of this event's partners by band.
    let at = len;
    for (let c = 0; c < nd; ++c) {
      offsets[a * nd + c] = at;
      at += bandCount[c];
      perBand[c] += bandCount[c];
      bandCount[c] = offsets[a * nd + c];
    }
    for (let m = 0; m < kept; ++m) partners[bandCount[foundBand[m]]++] = found[m];
    len += kept;
  }
  offsets[n * nd] = len;
  return { length: len, offsets, partners: partners.subarray(0, len), perBand, order };
}

/**
 * Positions in `[from, to]` of a finished kdbush index whose points lie within `r` (closed) of
 * (qx, qy): kdbush's own radius search over its kd-sorted `coords` (default node size, Float64
 * coordinates), returning positions rather than ids and skipping subtrees outside `[from, to]`.
 */
function positionsWithin(coords: Float64Array, nodeSize: number, from: number, to: number, qx: number, qy: number, r: number, out: Int32Array, stack: Int32Array): number {
  if (from > to) return 0;
  const r2 = r * r;
  let sp = 0;
  stack[sp++] = 0;
  stack[sp++] = coords.length / 2 - 1;
  stack[sp++] = 0;
  let count = 0;
  while (sp > 0) {
    const axis = stack[--sp];
    const right = stack[--sp];
    const left = stack[--sp];
    if (right < from || left > to) continue;
    if (right - left <= nodeSize) {
      for (let i = Math.max(left, from), last = Math.min(right, to); i <= last; ++i) {
        const dx = coords[2 * i] - qx;
        const dy = coords[2 * i + 1] - qy;
        if (dx * dx + dy * dy <= r2) out[count++] = i;
      }
      continue;
    }
    const m = (left + right) >> 1;
    const x = coords[2 * m];
    const y = coords[2 * m + 1];
    if (m >= from && m <= to) {
      const dx = x - qx;
      const dy = y - qy;
      if (dx * dx + dy * dy <= r2) out[count++] = m;
    }
    if (axis === 0 ? qx - r <= x : qy - r <= y) {
      stack[sp++] = left;
      stack[sp++] = m - 1;
      stack[sp++] = 1 - axis;
    }
    if (axis === 0 ? qx + r >= x : qy + r >= y) {
      stack[sp++] = m + 1;
      stack[sp++] = right;
      stack[sp++] = 1 - axis;
    }
  }
  return count;
}

/**
 * The times of the events (in the pair list's order) and a way to count the close pairs per
 * cell, `out[distanceBand * nt + timeBand]`, for the data's own times (`observed`) and for a
 * sequence of permutations (`permuted`): each permutation is a Fisher–Yates shuffle, in place,
 * of the previous arrangement, drawing from (and advancing) a state from core's `xoshiroSeedState`, so the
 * r-th arrangement is the same whichever counter runs (and however many it counts a pass).
 */
interface CellCounter {
  /** Which loop counts. */
  readonly engine: "wasm-simd" | "wasm" | "js";
  /** How, for the result's `method`. */
  readonly how: string;
  /** Adds the counts of the times as given to `out`. */
  observed(out: Float64Array): void;
  /** Shuffles `permutations` times in sequence and hands each arrangement's counts to `visit` (a reused array). */
  permuted(state: Int32Array, permutations: number, visit: (counts: Float64Array) => void): void;
}

/** `permuted` for a counter that counts one arrangement at a time. */
function oneByOne(cellsN: number, shuffle: (state: Int32Array) => void, count: (out: Float64Array) => void): CellCounter["permuted"] {
  return (state, permutations, visit) => {
    const counts = new Float64Array(cellsN);
    for (let r = 0; r < permutations; ++r) {
      shuffle(state);
      counts.fill(0);
      count(counts);
      visit(counts);
    }
  };
}

/** Largest day range of the SIMD counter: days and gaps fit in 16-bit lanes. */
const MAX_SIMD_DAYS = 32767;

/**
 * The fastest counter, for whole-day times spanning fewer than 32,767 days and at most 12
 * distinct time limits (see knox-kernel.ts): eight permutations counted in one pass over the
 * close pairs. Each time break Bₘ becomes the integer limit ⌈Bₘ⌉ (a whole-day gap g has
 * g < Bₘ exactly when g < ⌈Bₘ⌉); the kernel counts Cₘ = #{pairs with g < ⌈Bₘ⌉} per distance
 * band and lane, and the pairs in time band b are C_{b+1} − C_b, as {@link breakCounter}'s
 * `breaks[b] ≤ g < breaks[b + 1]`. The eight lanes take eight successive shuffles of one
 * array, so the permutations are those of the other counters. `null` when it does not apply
 * or WebAssembly SIMD is unavailable.
 */
function simdCounter(pairs: PairList, nd: number, ts: Float64Array, breaks: Float64Array): CellCounter | null {
  const n = ts.length;
  if (n < 2 || pairs.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < n; ++k) {
    const v = ts[k];
    if (!Number.isInteger(v)) return null;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi - lo + 1 > MAX_SIMD_DAYS) return null; // gaps ≤ 32,765
  const nt = breaks.length - 1;
  const ceil = Array.from(breaks, (b) => Math.min(Math.ceil(b), MAX_SIMD_DAYS));
  const first = ceil[0] <= 0 ? 1 : 0; // C₀ = 0 when the first break is ≤ 0: not counted
  const limits = ceil.slice(first);
  const simd = bandCountsSimd(pairs.offsets, pairs.partners, n, nd, limits);
  if (simd === null) return null;
  const { times, out } = simd;
  const M = limits.length;
  const days = new Int32Array(n);
  for (let k = 0; k < n; ++k) days[k] = ts[k] - lo;
  // Cell counts of lane p from the cumulative counts C (C₀ = 0 when not counted).
  const fold = (p: number, counts: Float64Array): void => {
    for (let d = 0; d < nd; ++d) {
      let below = first === 1 ? 0 : out[d * M * LANES + p];
      for (let b = 0; b < nt; ++b) {
        const next = out[(d * M + b + 1 - first) * LANES + p];
        counts[d * nt + b] += next - below;
        below = next;
      }
    }
  };
  const drawLimit = drawLimits(n);
  return {
    engine: "wasm-simd",
    how: `eight permutations a pass, whole-day gaps compared with the breaks in WebAssembly SIMD lanes`,
    observed(counts) {
      for (let k = 0; k < n; ++k) times.fill(days[k], k * LANES, (k + 1) * LANES);
      simd.count();
      fold(0, counts);
    },
    permuted(state, permutations, visit) {
      const counts = new Float64Array(nd * nt);
      for (let r = 0; r < permutations; r += LANES) {
        const lanes = Math.min(LANES, permutations - r);
        for (let p = 0; p < lanes; ++p) {
          shuffleTimes(days, state, drawLimit);
          for (let k = 0, at = p; k < n; ++k, at += LANES) times[at] = days[k];
        }
        simd.count(); // lanes ≥ `lanes` hold stale arrangements, not read
        for (let p = 0; p < lanes; ++p) {
          counts.fill(0);
          fold(p, counts);
          visit(counts);
        }
      }
    },
  };
}

/** Largest day-gap histogram (distance bands × (2 × time range + 1) Int32 bins): 1 MiB. */
const MAX_HISTOGRAM = 1 << 18;

/**
 * The counter for whole-day times (the usual case): the times as Int32 days from the earliest,
 * and per permutation one histogram of the signed integer day gaps per distance band (the band
 * is implicit in the pair list's grouping), so the inner loop is two loads, a subtraction and
 * an increment with no branch (WebAssembly where available: see knox-kernel.ts). The gap
 * histogram is then folded into time bands through a lookup table built with the same
 * comparisons as {@link breakCounter}. `null` when a time is not a whole number or the
 * histogram would be larger than {@link MAX_HISTOGRAM} or than 4 × the close pairs (clearing
 * it would then cost more than the pairs).
 */
function dayGapCounter(pairs: PairList, nd: number, ts: Float64Array, breaks: Float64Array, forceJs = false): CellCounter | null {
  const n = ts.length;
  if (n < 2) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < n; ++k) {
    const v = ts[k];
    if (!Number.isInteger(v)) return null;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const width = hi - lo + 1;
  if (!(nd * (2 * width - 1) <= Math.min(MAX_HISTOGRAM, Math.max(4096, 4 * pairs.length)))) return null;
  const nt = breaks.length - 1;
  // Time band of each gap 0 … width − 1 (−1: in no band), as breakCounter would find it.
  const t0 = breaks[0];
  const t1 = breaks[nt];
  let used = 0; // gaps ≥ used are in no band
  const band = new Int32Array(width).fill(-1);
  for (let g = 0; g < width; ++g) {
    if (g < t0 || g >= t1) continue;
    let b = 0;
    while (g >= breaks[b + 1]) ++b;
    band[g] = b;
    used = g + 1;
  }
  const store = gapHistogram(pairs.offsets, pairs.partners, n, nd, width, forceJs);
  const { days, hist } = store;
  for (let k = 0; k < n; ++k) days[k] = ts[k] - lo;
  const limits = drawLimits(n);
  const w2 = 2 * width - 1;
  const count = (out: Float64Array): void => {
    store.count();
    for (let d = 0; d < nd; ++d) {
      const zero = d * w2 + width - 1; // gap 0
      for (let g = 0; g < used; ++g) {
        const b = band[g];
        if (b < 0) continue;
        out[d * nt + b] += g === 0 ? hist[zero] : hist[zero + g] + hist[zero - g];
      }
    }
  };
  return {
    engine: store.engine,
    how: `through a histogram of whole-day gaps (${store.engine === "wasm" ? "WebAssembly" : "JavaScript"})`,
    observed: count,
    permuted: oneByOne(nd * nt, (state) => shuffleTimes(days, state, limits), count),
  };
}

/** The general counter (any finite times): each close pair's gap compared with the time breaks. */
function breakCounter(pairs: PairList, nd: number, ts: Float64Array, breaks: Float64Array): CellCounter {
  const t = Float64Array.from(ts);
  const { offsets, partners } = pairs;
  const n = t.length;
  const nt = breaks.length - 1;
  const t0 = breaks[0];
  const t1 = breaks[nt];
  const limits = drawLimits(n);
  const count = (out: Float64Array): void => {
    let k = 0;
    let o = 0;
    for (let a = 0; a < n; ++a) {
      const ta = t[a];
      for (let d = 0, base = 0; d < nd; ++d, base += nt) {
        const end = offsets[++o];
        for (; k < end; ++k) {
          const dt = Math.abs(ta - t[partners[k]]);
          if (dt < t0 || dt >= t1) continue;
          let b = 0;
          while (dt >= breaks[b + 1]) ++b;
          out[base + b] += 1;
        }
      }
    }
  };
  return {
    engine: "js",
    how: "by comparing each gap with the time breaks",
    observed: count,
    permuted: oneByOne(nd * nt, (state) => shuffleTimes(t, state, limits), count),
  };
}

/**
 * `2³² − 2³² mod m` for m = 1 … n: `rng.int(m)` draws uint32 values until one is below this,
 * then takes it mod m. Computed once per run rather than once per draw.
 */
function drawLimits(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let m = 1; m <= n; ++m) out[m] = Math.floor(TWO_POW_32 / m) * m; // exact: both < 2⁵³
  return out;
}
const TWO_POW_32 = 4294967296;

/**
 * Fisher–Yates shuffle in place with exactly `seededRandom(seed).int(i + 1)`'s draws (the
 * permutation stream of earlier releases): `state` is that generator's xoshiro128** state
 * (see core's `xoshiroSeedState`), stepped here in local variables because calling `rng.uint32`
 * costs ~20 ns a draw in V8 (its state lives in closure slots); `v mod m` by exact float division.
 */
function shuffleTimes(a: Int32Array | Float64Array, state: Int32Array, limits: Float64Array): void {
  let s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  for (let i = a.length - 1; i > 0; --i) {
    const m = i + 1;
    const limit = limits[m];
    let v = 0;
    do {
      const x = Math.imul(s1, 5);
      v = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    } while (v >= limit); // rare: p < m / 2³²
    const j = (v - Math.floor(v / m) * m) | 0;
    const tmp = a[i];
    a[i] = a[j];
    a[j] = tmp;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}


/** The number of all pairs whose time gap lies in each band (sorting, binary search on the gap). */
function timeBandPairs(ts: Float64Array, breaks: readonly number[]): number[] {
  const n = ts.length;
  const sorted = Float64Array.from(ts).sort();
  const nb = breaks.length - 1;
  const out = new Array<number>(nb).fill(0);
  // below[b] for each i: the number of j > i with sorted[j] − sorted[i] < breaks[b].
  for (let i = 0; i < n; ++i) {
    const ti = sorted[i];
    let prev = countBelow(sorted, i, ti, breaks[0]);
    for (let b = 0; b < nb; ++b) {
      const next = countBelow(sorted, i, ti, breaks[b + 1]);
      out[b] += next - prev;
      prev = next;
    }
  }
  return out;
}

/** #{j > i : sorted[j] − ti < limit} (the gap is monotone in sorted[j]). */
function countBelow(sorted: Float64Array, i: number, ti: number, limit: number): number {
  let lo = i + 1;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] - ti < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo - (i + 1);
}


// ---------------------------------------------------------------------------------------
// Wrapper helpers.

function checkBreaks(name: string, breaks: unknown): number[] {
  const rule = "at least two strictly increasing finite numbers from 0 up (band breaks)";
  if (!Array.isArray(breaks) || breaks.length < 2 || breaks.length > 65_536) invalidOption(FN, name, rule, breaks);
  for (let k = 0; k < breaks.length; ++k) {
    const v = breaks[k];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (k > 0 && !(v > breaks[k - 1]))) invalidOption(FN, name, rule, breaks);
  }
  return [...(breaks as number[])];
}

function isTable(data: IncidentTable | KnoxEvents): data is IncidentTable {
  return typeof (data as IncidentTable).length === "number" && (data as IncidentTable).start instanceof Int32Array;
}

function extractEvents(
  data: IncidentTable | KnoxEvents,
  categories: readonly string[] | undefined,
  time: "start" | "midpoint" | undefined,
): { xs: Float64Array; ys: Float64Array; ts: Float64Array; excluded: number } {
  if (data === null || typeof data !== "object") invalidOption(FN, "data", "an incident table or {x, y, t} arrays", data);
  const xs: number[] = [];
  const ys: number[] = [];
  const ts: number[] = [];
  let excluded = 0;
  if (isTable(data)) {
    let codeOk: Uint8Array | null = null;
    if (categories !== undefined) {
      if (!Array.isArray(categories) || categories.length === 0) {
        throw new InputError("unknown-category", `${FN}: categories must be a non-empty list of category keys, got ${describeValue(categories)}`);
      }
      codeOk = valueMask(data.category, categories);
    }
    const clock = clockFor(data.zone);
    const { x, y, start, end, precision } = data;
    const codes = data.category.codes;
    let coarse = 0;
    let firstCoarse = -1;
    for (let i = 0; i < data.length; ++i) {
      if (codeOk && codeOk[codes[i]] === 0) continue;
      if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
        ++excluded;
        continue;
      }
      if (precision[i] > PRECISION.day) {
        if (coarse++ === 0) firstCoarse = i;
        continue;
      }
      // Instant → local wall-clock minutes, so whole days stay whole across clock changes.
      const at = time === "midpoint" ? start[i] + (end[i] - start[i]) / 2 : start[i];
      const whole = Math.floor(at);
      xs.push(x[i]);
      ys.push(y[i]);
      ts.push((at + clock.offset(whole)) / MINUTES_PER_DAY);
    }
    if (coarse > 0) {
      failInput(
        "precision-too-coarse",
        FN,
        "incident times",
        "known to the day or finer (the test needs day gaps; police.uk gives months)",
        `${coarse} record(s) of ${PRECISIONS[data.precision[firstCoarse]]} precision, first at row ${firstCoarse}`,
      );
    }
  } else {
    if (categories !== undefined) invalidOption(FN, "categories", "omitted for plain events (filter them first)", categories);
    if (time !== undefined) invalidOption(FN, "time", "omitted for plain events (their t is the time)", time);
    const { x, y, t } = data;
    if (!x || !y || !t || typeof x.length !== "number" || typeof y.length !== "number" || typeof t.length !== "number") {
      invalidOption(FN, "data", "an incident table or {x, y, t} arrays", data);
    }
    if (x.length !== y.length || x.length !== t.length) {
      throw new InputError("length-mismatch", `${FN}: x, y and t must have the same length, got ${x.length}, ${y.length} and ${t.length}`);
    }
    for (let i = 0; i < x.length; ++i) {
      const xi = +x[i];
      const yi = +y[i];
      const ti = +t[i];
      if (!Number.isFinite(xi) || !Number.isFinite(yi) || !Number.isFinite(ti)) {
        ++excluded;
        continue;
      }
      xs.push(xi);
      ys.push(yi);
      ts.push(ti);
    }
  }
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys), ts: Float64Array.from(ts), excluded };
}

function sentenceFor(cell: KnoxCell, permutations: number): string {
  const space = `${cell.distanceFrom > 0 ? `${cell.distanceFrom} to ` : "within "}${cell.distanceTo} m`;
  const days = `${cell.timeFrom > 0 ? `${cell.timeFrom} to ` : "within "}${cell.timeTo} days`;
  if (cell.knoxRatio === null) return `No pairs of incidents ${space} and ${days} of each other could be expected, so near repeats cannot be tested there.`;
  const ratio = cell.knoxRatio;
  const p = cell.pValue < 0.001 ? "p < 0.001" : `p = ${+cell.pValue.toFixed(3)}`;
  const how = ratio >= 1 ? `${+ratio.toFixed(2)} times as often as` : `${+ratio.toFixed(2)} times as often as (fewer than)`;
  return `Pairs of incidents ${space} and ${days} of each other occurred ${how} expected if timing were unrelated to place (${cell.observed} observed, ${+cell.meanPermuted.toFixed(1)} expected; ${p}, ${permutations} permutations).`;
}
