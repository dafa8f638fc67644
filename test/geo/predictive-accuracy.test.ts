/**
 * predictiveAccuracy: the PAI check, hand-worked PAI/PEI values, PAI* against a
 * brute-force search over all same-size selections, and a forecast of the synthetic borough's
 * planted burglary streets.
 */
import { describe, it, expect } from "vitest";
import { dictValue, syntheticBorough } from "@community-safety/core";
import { predictiveAccuracy } from "@community-safety/geo";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

describe("predictiveAccuracy", () => {
  it("predictiveAccuracy([6, 3, 0], [3, 2, 1]) gives PAI 2, 1.5, 1 for the top 1, 2, 3 cells (the issue's check)", () => {
    const r = predictiveAccuracy([6, 3, 0], [3, 2, 1]);
    // By hand, N = 9, A = 3: (6/9)/(1/3) = 2; (9/9)/(2/3) = 1.5; (9/9)/(3/3) = 1.
    expect(r.rows.map((x) => x.pai)).toEqual([2, 1.5, 1]);
    expect(r.rows.map((x) => [x.threshold, x.cells, x.hits, x.area])).toEqual([
      [3, 1, 6, 1],
      [2, 2, 9, 2],
      [1, 3, 9, 3],
    ]);
    // The prediction orders the cells as the outcome did: PAI* = PAI, PEI = 1.
    expect(r.rows.map((x) => x.pei)).toEqual([1, 1, 1]);
    expect([r.incidents, r.area, r.equalAreas, r.reason]).toEqual([9, 3, true, null]);
  });

  it("predictiveAccuracy gives hand-worked PEI for a poor prediction", () => {
    const r = predictiveAccuracy([6, 3, 0], [1, 2, 3]);
    // By hand: top 1 is the empty cell: PAI 0, PAI* (6/9)/(1/3) = 2, PEI 0.
    // Top 2 holds 3: PAI (3/9)/(2/3) = 0.5; PAI* (9/9)/(2/3) = 1.5; PEI 1/3. All cells: 1, 1, 1.
    expect(r.rows.map((x) => x.pai)).toEqual([0, 0.5, 1]);
    expect(r.rows.map((x) => x.paiStar)).toEqual([2, 1.5, 1]);
    expect(r.rows[0].pei).toBe(0);
    expect(r.rows[1].pei).toBeCloseTo(1 / 3, 15);
    expect(r.rows[2].pei).toBe(1);
  });

  it("predictiveAccuracy selects tied predictions together", () => {
    const r = predictiveAccuracy([6, 3, 0, 1], [0.9, 0.1, 0.5, 0.5]);
    // By hand, N = 10, A = 4. ≥ 0.9: cell 0 (6): PAI 0.6/0.25 = 2.4, PAI* 2.4, PEI 1.
    // ≥ 0.5: cells 0, 2, 3 (7): PAI 0.7/0.75 = 0.9333…, PAI* (6+3+1)/10/0.75 = 1.3333…, PEI 0.7.
    expect(r.rows.map((x) => x.cells)).toEqual([1, 3, 4]);
    expect(r.rows[0].pai).toBeCloseTo(2.4, 14);
    expect(r.rows[1].pai).toBeCloseTo(0.7 / 0.75, 14);
    expect(r.rows[1].paiStar).toBeCloseTo(1 / 0.75, 14);
    expect(r.rows[1].pei).toBeCloseTo(0.7, 14);
  });

  it("predictiveAccuracy takes a boolean hot/not-hot prediction", () => {
    const r = predictiveAccuracy([5, 0, 2, 1, 0], [true, false, true, false, false]);
    // Hot cells 0 and 2 hold 7 of 8 on 2 of 5 cells: PAI (7/8)/(2/5) = 2.1875; best 2 cells hold 7 too: PEI 1.
    expect(r.rows[0]).toMatchObject({ threshold: 1, cells: 2, hits: 7, hitRate: 0.875, areaShare: 0.4, pai: 2.1875, pei: 1 });
    expect(r.rows[1].cells).toBe(5);
  });

  it("predictiveAccuracy's PAI* equals a brute-force search over all same-size selections", () => {
    let s = 7;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 20; ++trial) {
      const obs = Array.from({ length: 8 }, () => Math.floor(rand() * 6));
      const pred = Array.from({ length: 8 }, () => rand());
      const N = obs.reduce((a, b) => a + b, 0);
      const r = predictiveAccuracy(obs, pred);
      for (const row of r.rows) {
        let best = 0;
        for (let mask = 0; mask < 256; ++mask) {
          let bits = 0, hits = 0;
          for (let i = 0; i < 8; ++i) if (mask & (1 << i)) (bits += 1), (hits += obs[i]);
          if (bits === row.cells) best = Math.max(best, hits);
        }
        if (N === 0) expect(row.paiStar).toBeNull();
        else expect(row.paiStar).toBeCloseTo(best / N / (row.cells / 8), 12);
      }
    }
  });

  it("predictiveAccuracy with unequal areas gives PAI and leaves PEI null with a reason", () => {
    const r = predictiveAccuracy([6, 3, 0], [3, 2, 1], [2, 1, 1]);
    // By hand, A = 4: (6/9)/(2/4) = 1.333…, (9/9)/(3/4) = 1.333…, 1.
    expect(r.rows[0].pai).toBeCloseTo(4 / 3, 14);
    expect(r.rows[1].pai).toBeCloseTo(4 / 3, 14);
    expect(r.rows[2].pai).toBe(1);
    expect(r.rows.map((x) => x.pei)).toEqual([null, null, null]);
    expect(r.equalAreas).toBe(false);
    expect(r.reason).toBe("cells differ in area: PEI (the best same-area selection) is not computed");
    // Equal areas given explicitly behave as the default.
    expect(predictiveAccuracy([6, 3, 0], [3, 2, 1], [250_000, 250_000, 250_000]).rows.map((x) => x.pai)).toEqual([2, 1.5, 1]);
  });

  it("predictiveAccuracy: last years' burglary streets predict the synthetic borough's planted hotspots", () => {
    const { table, truths } = syntheticBorough({ seed: 1 });
    const lastYear = truths.months.financialYears.length - 1;
    // Financial-year boundary: the last year starts in April of startYear + years − 1 (London midnight = 23:00 UTC in BST).
    const cut = Date.UTC(truths.startYear + lastYear, 3, 1) / 60_000 - 60;
    const before = new Map<string, number>();
    const after = new Map<string, number>();
    for (let i = 0; i < table.length; ++i) {
      if (dictValue(table.category, i) !== "burglary") continue;
      const street = `${dictValue(table.location, i)}|${dictValue(table.lsoa, i)}`;
      const m = table.start[i] < cut ? before : after;
      m.set(street, (m.get(street) ?? 0) + 1);
    }
    const streets = [...new Set([...before.keys(), ...after.keys()])];
    const r = predictiveAccuracy(streets.map((k) => after.get(k) ?? 0), streets.map((k) => before.get(k) ?? 0));
    const top4 = r.rows.find((x) => x.cells >= 4)!;
    expect(top4.cells).toBe(4); // the planted streets stand apart: no tie at rank 4
    // Planted: 8% of burglary on 4 streets ⇒ PAI ≈ 0.08 / (4 / streets); allow sampling error of one year.
    expect(top4.pai!).toBeGreaterThan((0.05 * streets.length) / 4);
    expect(top4.pei!).toBeGreaterThan(0.8);
  });

  it("predictiveAccuracy with no incidents gives null PAI and PEI", () => {
    const r = predictiveAccuracy([0, 0], [1, 0]);
    expect(r.rows.map((x) => [x.pai, x.pei])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(r.reason).toBe("no incidents: PAI and PEI are undefined");
    expect(predictiveAccuracy([], []).rows).toEqual([]);
  });

  it("predictiveAccuracy validates its inputs", () => {
    expect(thrown(() => predictiveAccuracy([1, 2], [1]))).toEqual(["length-mismatch", "predictiveAccuracy: predicted must be the length of observed (2), got \"length 1\""]);
    expect(thrown(() => predictiveAccuracy([1], [1], [1, 2]))?.[0]).toBe("length-mismatch");
    expect(thrown(() => predictiveAccuracy([-1], [1]))).toEqual(["invalid-option", "predictiveAccuracy: observed[0] must be a non-negative finite number, got -1"]);
    expect(thrown(() => predictiveAccuracy([1], [NaN]))?.[1]).toBe("predictiveAccuracy: predicted[0] must be a finite number or a boolean, got null");
    expect(thrown(() => predictiveAccuracy([1], [1], [0]))?.[1]).toBe("predictiveAccuracy: areas[0] must be a positive finite number, got 0");
  });

  it("predictiveAccuracy does not modify its inputs", () => {
    const obs = [6, 3, 0];
    const pred = [1, 2, 3];
    predictiveAccuracy(obs, pred);
    expect([obs, pred]).toEqual([
      [6, 3, 0],
      [1, 2, 3],
    ]);
  });
});
