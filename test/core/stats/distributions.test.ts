import { describe, it, expect } from "vitest";
import {
  logGamma,
  normalCdf,
  normalQuantile,
  gammaCdf,
  gammaQuantile,
  chiSquareCdf,
  chiSquareQuantile,
  betaCdf,
  betaQuantile,
  poissonPmf,
  poissonCdf,
  poissonQuantile,
  binomialPmf,
  binomialCdf,
} from "@community-safety/core";
import { rFixture, expectRel, expectInputError } from "./fixture.js";

interface DistCase {
  fn: string;
  args: number[];
  value: number;
}

const tail = (flag: number) => ({ lowerTail: flag === 1 });
const IMPLEMENTATIONS: Record<string, (a: number[]) => number> = {
  pnorm: (a) => normalCdf(a[0], tail(a[1])),
  qnorm: (a) => normalQuantile(a[0], tail(a[1])),
  dpois: (a) => poissonPmf(a[0], a[1]),
  ppois: (a) => poissonCdf(a[0], a[1], tail(a[2])),
  qpois: (a) => poissonQuantile(a[0], a[1]),
  dbinom: (a) => binomialPmf(a[0], a[1], a[2]),
  pbinom: (a) => binomialCdf(a[0], a[1], a[2], tail(a[3])),
  pbeta: (a) => betaCdf(a[0], a[1], a[2], tail(a[3])),
  qbeta: (a) => betaQuantile(a[0], a[1], a[2], tail(a[3])),
  pgamma: (a) => gammaCdf(a[0], a[1], tail(a[2])),
  qgamma: (a) => gammaQuantile(a[0], a[1], tail(a[2])),
  pchisq: (a) => chiSquareCdf(a[0], a[1], tail(a[2])),
  qchisq: (a) => chiSquareQuantile(a[0], a[1], tail(a[2])),
  lgamma: (a) => logGamma(a[0]),
};

describe("distributions against R", () => {
  const cases = rFixture<DistCase>("distributions");
  const byFn = new Map<string, DistCase[]>();
  for (const c of cases) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);

  it("the fixture covers every function", () => {
    expect([...byFn.keys()].sort()).toEqual(Object.keys(IMPLEMENTATIONS).sort());
  });

  for (const [fn, list] of byFn) {
    it(`${fn}(...) matches R's ${fn} to 1e-10 relative over ${list.length} cases (fixture: reference.R)`, () => {
      for (const c of list) expectRel(IMPLEMENTATIONS[fn](c.args), c.value, 1e-10, `${fn}(${c.args.join(", ")})`);
    });
  }
});

describe("distributions by hand", () => {
  it("closed forms: Φ(0) = ½, exponential cdf, geometric-like beta, Poisson and binomial sums", () => {
    expect(normalCdf(0)).toBe(0.5);
    // Gamma(1) is the unit exponential: P(X ≤ 2) = 1 − e⁻², quantile −ln(1 − p).
    expectRel(gammaCdf(2, 1), 1 - Math.exp(-2), 1e-14);
    expectRel(gammaQuantile(0.975, 1), -Math.log(0.025), 1e-14);
    // scale: Gamma(1, θ = 3) at 6 is again 1 − e⁻².
    expectRel(gammaCdf(6, 1, { scale: 3 }), 1 - Math.exp(-2), 1e-14);
    // Beta(1, b): I_x = 1 − (1 − x)^b, so the 0.025 quantile of Beta(1, 10) is 1 − 0.975^(1/10).
    expectRel(betaQuantile(0.025, 1, 10), 1 - Math.pow(0.975, 0.1), 1e-13);
    // Beta(2, 3) at ½: 1 − Σ_{j<2} C(4, j)/16 = 1 − 5/16.
    expectRel(betaCdf(0.5, 2, 3), 11 / 16, 1e-14);
    // Poisson(2): P(X ≤ 2) = e⁻²(1 + 2 + 2).
    expectRel(poissonCdf(2, 2), 5 * Math.exp(-2), 1e-14);
    expectRel(poissonPmf(3, 2), (Math.exp(-2) * 8) / 6, 1e-14);
    // Binomial(4, ½): P(X ≤ 1) = 5/16; P(X = 2) = 6/16.
    expectRel(binomialCdf(1, 4, 0.5), 5 / 16, 1e-14);
    expectRel(binomialPmf(2, 4, 0.5), 6 / 16, 1e-14);
    // ln 9! = ln 362880.
    expectRel(logGamma(10), Math.log(362880), 1e-14);
    // χ²(2) is the exponential with mean 2.
    expectRel(chiSquareCdf(3, 2), 1 - Math.exp(-1.5), 1e-14);
  });

  it("edge values: zero means, out-of-range counts, probabilities 0 and 1", () => {
    expect(poissonPmf(0, 0)).toBe(1);
    expect(poissonPmf(2.5, 3)).toBe(0);
    expect(poissonCdf(-1, 3)).toBe(0);
    expect(poissonQuantile(0.5, 0)).toBe(0);
    expect(poissonQuantile(1, 3)).toBe(Infinity);
    expect(binomialPmf(5, 4, 0.5)).toBe(0);
    expect(binomialCdf(4, 4, 0.3)).toBe(1);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(gammaQuantile(0.3, 0)).toBe(0);
    expect(betaQuantile(0, 2, 3)).toBe(0);
    expect(betaQuantile(1, 2, 3)).toBe(1);
  });

  it("bad parameters throw InputError invalid-option with the uniform message", () => {
    const bad: [() => unknown, string][] = [
      [() => normalQuantile(1.5), "normalQuantile: p must be a probability in [0, 1], got 1.5"],
      [() => poissonCdf(3, -1), "poissonCdf: mean must be a non-negative finite number, got -1"],
      [() => binomialCdf(1, 2.5, 0.5), "binomialCdf: n must be a non-negative integer, got 2.5"],
      [() => betaCdf(0.5, 0, 1), "betaCdf: a must be a positive finite number, got 0"],
      [() => gammaCdf(1, 2, { scale: 0 }), "gammaCdf: scale must be a positive finite number, got 0"],
      [() => logGamma(0), "logGamma: x must be a positive number, got 0"],
      [() => chiSquareQuantile(0.5, -1), "chiSquareQuantile: df must be a non-negative finite number, got -1"],
    ];
    for (const [call, message] of bad) expectInputError(call, message);
  });
});
