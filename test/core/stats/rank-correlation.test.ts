import { describe, it, expect } from "vitest";
import { rankCorrelation, averageRanks } from "@community-safety/core";

describe("rankCorrelation", () => {
  it("equals R's cor.test(method = 'spearman', exact = FALSE), with ties", () => {
    // R 4.2.2: x <- c(12,15,9,30,22,18,7,25,14,19,11,28); y <- c(3,5,2,9,6,6,1,8,4,4,3,7)
    // cor.test(x, y, method = "spearman", exact = FALSE): rho 0.95607655762864951, p 1.1958342110531513e-06
    const r = rankCorrelation([12, 15, 9, 30, 22, 18, 7, 25, 14, 19, 11, 28], [3, 5, 2, 9, 6, 6, 1, 8, 4, 4, 3, 7]);
    expect(r.rho).toBeCloseTo(0.95607655762864951, 14);
    expect(r.pValue!).toBeCloseTo(1.1958342110531513e-6, 18);
    expect(r.pValue! / 1.1958342110531513e-6).toBeCloseTo(1, 10);
    expect(r.n).toBe(12);
    // R: x2 <- c(5,1,4,2,8,7,3,6); y2 <- c(2,6,3,8,1,4,7,5): rho -0.73809523809523825, p 0.036552761052860795
    const s = rankCorrelation([5, 1, 4, 2, 8, 7, 3, 6], [2, 6, 3, 8, 1, 4, 7, 5]);
    expect(s.rho).toBeCloseTo(-0.73809523809523825, 14);
    expect(s.pValue!).toBeCloseTo(0.036552761052860795, 14);
  });

  it("leaves out pairs with a missing side, and says when there are too few", () => {
    // Hand-worked: after dropping the NaN pair, ranks (1,2,3,4,5) and (2,1,4,3,5): ρ = 1 − 6·4/(5·24) = 0.8.
    expect(rankCorrelation([1, 2, NaN, 3, 4, 5], [2, 1, 9, 4, 3, 5]).rho).toBeCloseTo(0.8, 15);
    expect(rankCorrelation([1, 2], [2, 1]).pValue).toBeNull();
    expect([...averageRanks([10, 20, 20, 5])]).toEqual([2, 3.5, 3.5, 1]);
  });
});
