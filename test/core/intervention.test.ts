import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, PRECISION, clockFor, declaredCoverage, evaluateIntervention, type IncidentTable } from "@community-safety/core";
import { expectInputError, thrownInputError } from "../helpers/errors.js";

/**
 * Burglaries (and some robberies) by beat, placed in June of the given years; the extract is
 * declared to cover April of the year before the first to March after the second (every
 * financial and calendar year compared), unless `declare` is false.
 */
function table(spec: Record<string, [number, number]>, years: [number, number] = [2020, 2021], extra: Record<string, [number, number]> = {}, declare = true): IncidentTable {
  const clock = clockFor("Europe/London");
  const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
  const add = (beat: string, category: string, year: number, n: number) => {
    for (let k = 0; k < n; ++k) {
      const i = b.addRow();
      b.dict.category.set(i, category);
      b.dict.beat.set(i, beat);
      b.start[i] = clock.fromLocal(year, 6, 1 + (k % 28), 12, 0);
      b.end[i] = b.start[i] + 1;
      b.precision[i] = PRECISION.minute;
    }
  };
  for (const [beat, [pre, post]] of Object.entries(spec)) {
    add(beat, "burglary", years[0], pre);
    add(beat, "burglary", years[1], post);
  }
  for (const [beat, [pre, post]] of Object.entries(extra)) {
    add(beat, "robbery", years[0], pre);
    add(beat, "robbery", years[1], post);
  }
  if (declare) b.coverage.push(declaredCoverage([`${years[0] - 1}-04`, `${years[1] + 1}-03`]));
  return b.finish();
}

describe("evaluateIntervention", () => {
  it("gives the published weighted displacement difference (Wheeler & Ratcliffe 2018) from counts in the table", () => {
    // Published case: control (308, 318), treated (207, 110), displacement control (150, 140),
    // displacement (178, 157) → WDD −118, SE √1568, Z −2.98. Two equal 365-day periods.
    const t = table({ T: [207, 110], C: [308, 318], D: [178, 157], DC: [150, 140] });
    const r = evaluateIntervention(t, {
      before: "2020/21",
      after: "2021/22",
      treated: { beat: "T" },
      control: { beat: "C" },
      displacement: { beat: "D" },
      displacementControl: { beat: "DC" },
      unitCosts: { burglary: 1000 },
      spent: 20000,
    });
    expect(r.days).toEqual([365, 365]);
    expect(r.treated).toMatchObject({ before: 207, after: 110 });
    expect(r.wdd!.estimate).toBeCloseTo(-118, 12);
    expect(r.wdd!.se).toBeCloseTo(Math.sqrt(1568), 12);
    expect(r.wdd!.z).toBeCloseTo(-2.98, 2);
    // Harm, by hand: expected after = 207 × 318/308; displaced = 157 − 178 × 140/150 (negative:
    // a diffusion of benefits); harm avoided = (expected − 110 − displaced) × £1,000.
    const expected = (207 * 318) / 308;
    const displaced = 157 - (178 * 140) / 150;
    const row = r.categories[0];
    expect(row.expectedAfter).toBeCloseTo(expected, 12);
    expect(row.displaced).toBeCloseTo(displaced, 12);
    expect(r.harmAvoided).toBeCloseTo((expected - 110 - displaced) * 1000, 8);
    expect(r.netBenefit).toBeCloseTo(r.harmAvoided! - 20000, 8);
    expect(r.sentence).toMatch(/^Burglary in the treated area: 207 in Apr 2020 – Mar 2021, 110 in Apr 2021 – Mar 2022 \(−46\.9% per day, p < 0\.001\); the control area went from 308 to 318\. Weighted displacement difference −118\.0 \(SE 39\.6, 95% CI −195\.6 to −40\.4, p = 0\.003\): a reduction beyond the control's trend, net of displacement\. £112,854 of harm avoided against £20,000 spent \(5\.6 : 1\)\.$/);
  });

  it("reads like a board paper for a simple before/after: 31 burglaries before, 1 after", () => {
    const t = table({ T: [31, 1], X: [5, 5] });
    const r = evaluateIntervention(t, { before: "2020", after: "2021", treated: { beat: "T" }, categories: ["burglary"], unitCosts: { burglary: 3267 }, spent: 20000 });
    expect(r.wdd).toBeNull();
    // 2020 is a leap year: the expectation scales by 365/366.
    expect(r.categories[0].expectedAfter).toBeCloseTo((31 * 365) / 366, 12);
    expect(r.harmAvoided).toBeCloseTo(((31 * 365) / 366 - 1) * 3267, 6);
    expect(r.sentence).toBe("Burglary in the treated area: 31 in 2020, 1 in 2021 (−96.8% per day, p < 0.001). £97,733 of harm avoided against £20,000 spent (4.9 : 1).");
  });

  it("lists categories without a unit cost instead of costing them at zero silently", () => {
    const t = table({ T: [10, 4], C: [10, 10] }, [2020, 2021], { T: [3, 1], C: [3, 3] });
    const r = evaluateIntervention(t, { before: "2020/21", after: "2021/22", treated: { beat: "T" }, control: { beat: "C" }, unitCosts: { burglary: 100 } });
    expect(r.uncosted).toEqual(["robbery"]);
    expect(r.harmAvoided).toBeCloseTo(600, 10);
    expect(r.sentence).toMatch(/\(no unit cost for Robbery\)\.$/);
    expect(r.categories.find((c) => c.category === "robbery")).toMatchObject({ unitCost: null, harmAvoided: null });
  });

  it("rejects bad options with the field named", () => {
    const t = table({ T: [10, 4], C: [10, 10] });
    // Found from the records alone, the data cover June 2020 and June 2021 only.
    expectInputError(() => evaluateIntervention(table({ T: [5, 3] }, [2020, 2021], {}, false), { before: "2020/21", after: "2021/22", treated: { beat: "T" } }), "partial-period", "evaluateIntervention: 2020/21 (Apr 2020 – Mar 2021) is only partly covered by the data: June 2020 (30 of 365 days). Choose before and after periods the data cover");
    expect(thrownInputError(() => evaluateIntervention(t, { before: "2020/21", after: "2020-06", treated: { beat: "T" } })).message).toBe('evaluateIntervention: after must be a period that does not overlap 2020/21, got "2020-06"');
    expect(thrownInputError(() => evaluateIntervention(t, { before: "2020/21", after: "2021/22", treated: { beat: "Q" } })).message).toBe('evaluateIntervention: treated.beat must be values present in the table\'s beat column, got "Q"');
    expect(thrownInputError(() => evaluateIntervention(t, { before: "2020/21", after: "2021/22", treated: { beat: "T" }, unitCosts: { burglary: -1 } })).message).toBe('evaluateIntervention: unitCosts["burglary"] must be a non-negative number, got -1');
    expect(thrownInputError(() => evaluateIntervention(t, { before: "2020/21", after: "2021/22", treated: { beat: "T" }, categories: ["arson"] })).code).toBe("unknown-category");
    expect(thrownInputError(() => evaluateIntervention(t, { before: "2020/21", after: "2021/22", treated: { beat: "T" }, displacement: { beat: "C" } })).message).toMatch(/displacementControl must be given/);
  });
});
