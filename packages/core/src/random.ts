import { invalidOption } from "./errors.js";

/**
 * A seeded pseudo-random number generator: the same seed always gives the same sequence, on
 * every platform (integer arithmetic only, no `Math.random`).
 */
export interface Random {
  /** The seed the generator started from. */
  readonly seed: number;
  /** The next 32-bit unsigned integer, uniform on `[0, 2³²)`. */
  uint32(): number;
  /** A double uniform on `[0, 1)` with 53 random bits (two 32-bit draws). */
  uniform(): number;
  /** A double uniform on `[min, max)`. */
  range(min: number, max: number): number;
  /** An integer uniform on `0 … n − 1` (unbiased: rejection of the short last block). */
  int(n: number): number;
  /** `true` with probability `p`. */
  bernoulli(p: number): boolean;
  /** A normal deviate (Box–Muller, the cosine half; two uniforms per draw). */
  normal(mean?: number, sd?: number): number;
  /** An exponential deviate with the given mean (inversion). */
  exponential(mean: number): number;
  /**
   * A Poisson deviate. Exact for every mean: Knuth's multiplication method below
   * {@link POISSON_PTRS_CUTOFF} (10), and above it Hörmann's transformed rejection with
   * squeeze (PTRS; W. Hörmann, "The transformed rejection method for generating Poisson
   * random variables", Insurance: Mathematics and Economics 12, 1993), as numpy does.
   */
  poisson(mean: number): number;
  /** An index `i` with probability `weights[i] / Σ weights` (linear scan; see {@link weightedSampler} for repeated draws). */
  weightedIndex(weights: ArrayLike<number>): number;
  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy (Fisher–Yates); the input is not changed. */
  shuffled<T>(items: readonly T[]): T[];
  /** A new independent generator seeded from this one's next draw (for sub-streams). */
  fork(): Random;
}

/** Means at or above this use PTRS in {@link Random.poisson}; below it, Knuth's multiplication method. */
export const POISSON_PTRS_CUTOFF = 10;

const MASK64 = (1n << 64n) - 1n;

/** splitmix64 (Vigna), the seeding generator the xoshiro authors recommend. */
function splitmix64(state: { x: bigint }): bigint {
  state.x = (state.x + 0x9e3779b97f4a7c15n) & MASK64;
  let z = state.x;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/**
 * The xoshiro128** state {@link seededRandom}`(seed)` starts from: two splitmix64 outputs of the
 * seed, low word first (as 32-bit signed integers), for a kernel that steps the generator in
 * its own local variables and must draw the same stream.
 * @internal
 */
export function xoshiroSeedState(seed: number): Int32Array {
  const sm = { x: BigInt(seed) };
  const a = splitmix64(sm);
  const b = splitmix64(sm);
  return Int32Array.of(Number(a & 0xffffffffn) | 0, Number(a >> 32n) | 0, Number(b & 0xffffffffn) | 0, Number(b >> 32n) | 0);
}

const TWO_POW_32 = 4294967296;
const LOG_SQRT_2PI = 0.9189385332046728;

/** ln Γ(x) for x ≥ 1 by Stirling's series, shifted up to x ≥ 7 (accurate to ~1e-15). */
function logGamma(x: number): number {
  let shift = 0;
  while (x < 7) {
    shift += Math.log(x);
    x += 1;
  }
  const r = 1 / (x * x);
  const series = (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / x;
  return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + series - shift;
}

/**
 * Returns a seeded generator: xoshiro128** 1.1 (D. Blackman and S. Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 47, 2021), its 128-bit state filled from two
 * splitmix64 outputs of the seed (low word first), as the authors recommend. Period 2¹²⁸ − 1;
 * no Node APIs.
 *
 * @param seed An integer from 0 to 2³² − 1. Default 1.
 * @throws InputError `invalid-option` when `seed` is not such an integer.
 * @example
 * const rng = seededRandom(42);
 * rng.uint32(); // => 1776835114 (the reference C code gives the same)
 * seededRandom(42).uniform() === seededRandom(42).uniform(); // => true
 */
export function seededRandom(seed = 1): Random {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) invalidOption("seededRandom", "seed", "an integer from 0 to 4294967295", seed);
  const state = xoshiroSeedState(seed);
  let s0 = state[0];
  let s1 = state[1];
  let s2 = state[2];
  let s3 = state[3];

  const uint32 = (): number => {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
  const uniform = (): number => ((uint32() >>> 5) * 67108864 + (uint32() >>> 6)) / 9007199254740992;

  const poissonSmall = (mean: number): number => {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = uniform();
    while (p > limit) {
      k += 1;
      p *= uniform();
    }
    return k;
  };
  const poissonPtrs = (mean: number): number => {
    const slam = Math.sqrt(mean);
    const loglam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = uniform() - 0.5;
      const v = uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logGamma(k + 1)) return k;
    }
  };

  const rng: Random = {
    seed,
    uint32,
    uniform,
    range: (min, max) => min + (max - min) * uniform(),
    int(n) {
      if (!(Number.isInteger(n) && n > 0 && n <= TWO_POW_32)) invalidOption("Random.int", "n", "an integer from 1 to 2^32", n);
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      for (;;) {
        const v = uint32();
        if (v < limit) return v % n;
      }
    },
    bernoulli: (p) => uniform() < p,
    normal(mean = 0, sd = 1) {
      const u = 1 - uniform(); // (0, 1]: log is finite
      const v = uniform();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    exponential(mean) {
      if (!(mean > 0 && Number.isFinite(mean))) invalidOption("Random.exponential", "mean", "a positive finite number", mean);
      return -mean * Math.log(1 - uniform());
    },
    poisson(mean) {
      if (!(mean >= 0 && Number.isFinite(mean))) invalidOption("Random.poisson", "mean", "a non-negative finite number", mean);
      if (mean === 0) return 0;
      return mean < POISSON_PTRS_CUTOFF ? poissonSmall(mean) : poissonPtrs(mean);
    },
    weightedIndex(weights) {
      const total = checkWeights("Random.weightedIndex", weights);
      let r = uniform() * total;
      let last = 0;
      for (let i = 0; i < weights.length; ++i) {
        if (weights[i] > 0) {
          last = i;
          r -= weights[i];
          if (r < 0) return i;
        }
      }
      return last; // rounding left r ≥ 0: the last positive weight
    },
    pick(items) {
      if (items.length === 0) invalidOption("Random.pick", "items", "a non-empty array", items);
      return items[rng.int(items.length)];
    },
    shuffled(items) {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; --i) {
        const j = rng.int(i + 1);
        const t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
      return out;
    },
    fork: () => seededRandom(uint32()),
  };
  return rng;
}

function checkWeights(fn: string, weights: ArrayLike<number>): number {
  if (weights === null || typeof weights !== "object" || typeof weights.length !== "number" || weights.length === 0) {
    invalidOption(fn, "weights", "a non-empty array of non-negative numbers", weights);
  }
  let total = 0;
  for (let i = 0; i < weights.length; ++i) {
    const w = weights[i];
    if (!(w >= 0 && Number.isFinite(w))) invalidOption(fn, `weights[${i}]`, "a non-negative finite number", w);
    total += w;
  }
  if (!(total > 0)) invalidOption(fn, "weights", "an array with a positive sum", Array.from(weights));
  return total;
}

/**
 * Returns a sampler that draws index `i` with probability `weights[i] / Σ weights` in
 * O(log n) per draw (cumulative sums and binary search); zero weights are never drawn. The
 * weights are copied, so later changes to the input do not affect the sampler.
 *
 * @throws InputError `invalid-option` when `weights` is empty, has a negative or non-finite
 *   entry, or sums to 0.
 * @example
 * const draw = weightedSampler([0, 1, 3]);
 * draw(seededRandom(7)); // => 1 or 2 (2 three times as often), never 0
 */
export function weightedSampler(weights: ArrayLike<number>): (random: Random) => number {
  const total = checkWeights("weightedSampler", weights);
  const n = weights.length;
  const cum = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; ++i) cum[i] = acc += weights[i];
  let last = n - 1;
  while (weights[last] === 0) last -= 1;
  return (random) => {
    const r = random.uniform() * total;
    // First i with cum[i] > r: such an i has weights[i] > 0.
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
