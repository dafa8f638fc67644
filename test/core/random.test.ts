import { describe, it, expect } from "vitest";
import { seededRandom, weightedSampler, POISSON_PTRS_CUTOFF, InputError, type Random } from "@community-safety/core";

// Statistical checks use fixed seeds, so each is deterministic; tolerances are 4 standard errors
// (or the chi-square 0.999 quantile), so a correct generator passes with any seed with
// probability ≥ 0.999 per check, while a wrong distribution (a shifted mean, a mis-scaled
// variance, a wrong pmf) fails.

/** Chi-square statistic of observed counts against expected probabilities (pooled tail last). */
function chiSquare(observed: number[], probs: number[], n: number): number {
  let x2 = 0;
  for (let k = 0; k < observed.length; ++k) {
    const e = n * probs[k];
    x2 += ((observed[k] - e) * (observed[k] - e)) / e;
  }
  return x2;
}

/** Poisson pmf by the textbook formula e^-m m^k / k!, computed in logs term by term. */
function poissonPmf(mean: number, k: number): number {
  let logp = -mean + k * Math.log(mean);
  for (let j = 2; j <= k; ++j) logp -= Math.log(j);
  return Math.exp(logp);
}

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; ++i) {
    const v = draw();
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  return { mean, variance: (s2 - n * mean * mean) / (n - 1) };
}

describe("seededRandom", () => {
  it("seededRandom(seed).uint32() reproduces the reference C code (splitmix64 seeding, xoshiro128**)", () => {
    // Values printed by Blackman & Vigna's splitmix64.c + xoshiro128starstar.c compiled with gcc,
    // state s[0..3] = low, high word of the first splitmix64 output, then of the second.
    const reference: Record<number, number[]> = {
      0: [3737715805, 2584255861, 2876756834, 3286328325, 1553311962, 1625202774],
      42: [1776835114, 4165204688, 17111135, 2317295270, 2792088233, 2554630222],
      4294967295: [331202089, 2303545133, 2732085799, 1755962312, 20464611, 435992899],
    };
    for (const [seed, values] of Object.entries(reference)) {
      const rng = seededRandom(+seed);
      expect(values.map(() => rng.uint32())).toEqual(values);
    }
  });

  it("seededRandom() defaults to seed 1, and the same seed repeats while different seeds differ", () => {
    const a = seededRandom();
    const b = seededRandom(1);
    const c = seededRandom(2);
    expect(a.seed).toBe(1);
    const xs = Array.from({ length: 20 }, () => a.uniform());
    expect(Array.from({ length: 20 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c.uniform())).not.toEqual(xs);
  });

  it("fork() gives a deterministic sub-stream different from its parent", () => {
    const p1 = seededRandom(9);
    const p2 = seededRandom(9);
    const f1 = p1.fork();
    const f2 = p2.fork();
    const fs = Array.from({ length: 10 }, () => f1.uint32());
    expect(Array.from({ length: 10 }, () => f2.uint32())).toEqual(fs);
    expect(Array.from({ length: 10 }, () => p1.uint32())).not.toEqual(fs);
  });

  it("uniform() lies in [0, 1) with mean 1/2 and variance 1/12", () => {
    const rng = seededRandom(11);
    const n = 200_000;
    let min = 1;
    let max = 0;
    const m = moments(() => {
      const u = rng.uniform();
      if (u < min) min = u;
      if (u > max) max = u;
      return u;
    }, n);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // SE of the mean sqrt(1/12/n) = 6.5e-4; SE of the variance sqrt((1/80 - 1/144)/n) = 1.7e-4.
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(4 * Math.sqrt((1 / 80 - 1 / 144) / n));
  });

  it("range(min, max) scales uniform() onto [min, max)", () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    for (let i = 0; i < 100; ++i) expect(a.range(-3, 7)).toBeCloseTo(-3 + 10 * b.uniform(), 12);
  });

  it("int(6) is a fair die (chi-square, 5 df, below the 0.999 quantile 20.515)", () => {
    const rng = seededRandom(3);
    const n = 60_000;
    const counts = new Array(6).fill(0);
    for (let i = 0; i < n; ++i) counts[rng.int(6)] += 1;
    expect(chiSquare(counts, new Array(6).fill(1 / 6), n)).toBeLessThan(20.515);
  });

  it("normal(mean, sd) has the requested mean and sd and 95% within ±1.96 sd", () => {
    const rng = seededRandom(21);
    const n = 100_000;
    let inside = 0;
    const m = moments(() => {
      const z = rng.normal(10, 2);
      if (Math.abs(z - 10) < 1.96 * 2) inside += 1;
      return z;
    }, n);
    expect(Math.abs(m.mean - 10)).toBeLessThan((4 * 2) / Math.sqrt(n));
    // SE of a normal sample variance: sd² sqrt(2/(n-1)).
    expect(Math.abs(m.variance - 4)).toBeLessThan(4 * 4 * Math.sqrt(2 / n));
    expect(Math.abs(inside / n - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / n));
  });

  it("exponential(mean) has that mean and sd", () => {
    const rng = seededRandom(8);
    const n = 100_000;
    const m = moments(() => rng.exponential(3), n);
    expect(Math.abs(m.mean - 3)).toBeLessThan((4 * 3) / Math.sqrt(n));
    expect(Math.abs(Math.sqrt(m.variance) - 3)).toBeLessThan(0.06); // SE of the sd ≈ sd·sqrt(2)/(2·sqrt(n))·… ≈ 0.015
  });

  it("poisson(3) (multiplication method) follows the Poisson pmf (chi-square, 10 df, < 29.588)", () => {
    expect(POISSON_PTRS_CUTOFF).toBe(10);
    const rng = seededRandom(31);
    const n = 100_000;
    const counts = new Array(11).fill(0); // 0..9 and a pooled ≥ 10
    for (let i = 0; i < n; ++i) counts[Math.min(10, rng.poisson(3))] += 1;
    const probs = Array.from({ length: 10 }, (_, k) => poissonPmf(3, k));
    probs.push(1 - probs.reduce((a, b) => a + b, 0));
    expect(chiSquare(counts, probs, n)).toBeLessThan(29.588);
    expect(counts[0] / n).toBeCloseTo(Math.exp(-3), 2); // P(0) = e^-3 = 0.0498
  });

  it("poisson(40) (PTRS) follows the Poisson pmf (chi-square, 20 bins → 20 df, < 45.315)", () => {
    const rng = seededRandom(32);
    const n = 100_000;
    // Bins: ≤ 28, 29 … 47 one by one, ≥ 48 → 21 bins, 20 df.
    const lo = 28;
    const hi = 48;
    const counts = new Array(hi - lo + 1).fill(0);
    for (let i = 0; i < n; ++i) {
      const k = rng.poisson(40);
      counts[k <= lo ? 0 : k >= hi ? hi - lo : k - lo] += 1;
    }
    const probs: number[] = [];
    let below = 0;
    for (let k = 0; k <= lo; ++k) below += poissonPmf(40, k);
    probs.push(below);
    for (let k = lo + 1; k < hi; ++k) probs.push(poissonPmf(40, k));
    probs.push(1 - probs.reduce((a, b) => a + b, 0));
    expect(chiSquare(counts, probs, n)).toBeLessThan(45.315);
  });

  it("poisson(mean) has mean and variance equal to the mean on both sides of the cutoff and far above it", () => {
    const n = 100_000;
    for (const mean of [0.5, 9.99, 10, 250, 100_000]) {
      const rng = seededRandom(Math.round(mean * 100));
      const m = moments(() => rng.poisson(mean), n);
      expect(Math.abs(m.mean - mean)).toBeLessThan(4 * Math.sqrt(mean / n));
      // The sample variance of a Poisson has SE ≈ sqrt((mean + 2 mean²)/n).
      expect(Math.abs(m.variance - mean)).toBeLessThan(4 * Math.sqrt((mean + 2 * mean * mean) / n));
    }
    expect(seededRandom(1).poisson(0)).toBe(0);
  });

  it("poisson(mean) returns non-negative integers", () => {
    const rng = seededRandom(4);
    for (const mean of [0.1, 5, 12, 1000]) {
      for (let i = 0; i < 1000; ++i) {
        const k = rng.poisson(mean);
        expect(Number.isInteger(k) && k >= 0).toBe(true);
      }
    }
  });

  it("weightedIndex(weights) and weightedSampler(weights) draw index i with probability w_i / Σw, never a zero weight", () => {
    const weights = [0, 1, 3, 6, 0];
    const n = 50_000;
    const a = seededRandom(12);
    const draw = weightedSampler(weights);
    for (const pick of [() => a.weightedIndex(weights), () => draw(a)]) {
      const counts = new Array(5).fill(0);
      for (let i = 0; i < n; ++i) counts[pick()] += 1;
      expect(counts[0]).toBe(0);
      expect(counts[4]).toBe(0);
      for (const [i, p] of [[1, 0.1], [2, 0.3], [3, 0.6]]) {
        expect(Math.abs(counts[i] / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
      }
    }
  });

  it("weightedSampler copies its weights", () => {
    const w = [1, 0];
    const draw = weightedSampler(w);
    w[0] = 0;
    w[1] = 1;
    const rng = seededRandom(2);
    for (let i = 0; i < 100; ++i) expect(draw(rng)).toBe(0);
  });

  it("shuffled(items) returns a permutation without changing the input; pick() returns an element", () => {
    const rng = seededRandom(6);
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const copy = items.slice();
    const out = rng.shuffled(items);
    expect(items).toEqual(copy);
    expect(out.slice().sort((p, q) => p - q)).toEqual(copy);
    expect(out).not.toEqual(copy); // 1 in 40,320 chance for a given seed; this seed is checked
    expect(items).toContain(rng.pick(items));
  });

  it("bernoulli(p) is true with probability p", () => {
    const rng = seededRandom(13);
    const n = 50_000;
    let k = 0;
    for (let i = 0; i < n; ++i) if (rng.bernoulli(0.2)) k += 1;
    expect(Math.abs(k / n - 0.2)).toBeLessThan(4 * Math.sqrt((0.2 * 0.8) / n));
  });

  it("throws invalid-option for a bad seed, mean, n or weights", () => {
    const rng: Random = seededRandom(1);
    const cases: [() => unknown, string][] = [
      [() => seededRandom(-1), "seededRandom: seed must be an integer from 0 to 4294967295, got -1"],
      [() => seededRandom(1.5), "seededRandom: seed must be an integer from 0 to 4294967295, got 1.5"],
      [() => seededRandom(2 ** 32), "seededRandom: seed must be an integer from 0 to 4294967295, got 4294967296"],
      [() => rng.poisson(-1), "Random.poisson: mean must be a non-negative finite number, got -1"],
      [() => rng.poisson(NaN), "Random.poisson: mean must be a non-negative finite number, got null"],
      [() => rng.int(0), "Random.int: n must be an integer from 1 to 2^32, got 0"],
      [() => rng.exponential(0), "Random.exponential: mean must be a positive finite number, got 0"],
      [() => rng.pick([]), "Random.pick: items must be a non-empty array, got []"],
      [() => weightedSampler([]), "weightedSampler: weights must be a non-empty array of non-negative numbers, got []"],
      [() => weightedSampler([0, 0]), "weightedSampler: weights must be an array with a positive sum, got [0,0]"],
      [() => weightedSampler([1, -1]), "weightedSampler: weights[1] must be a non-negative finite number, got -1"],
      [() => rng.weightedIndex([1, Infinity]), "Random.weightedIndex: weights[1] must be a non-negative finite number, got null"],
    ];
    for (const [f, message] of cases) {
      let error: unknown;
      try {
        f();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).code).toBe("invalid-option");
      expect((error as InputError).message).toBe(message);
    }
  });
});
