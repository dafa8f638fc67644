import { describe, it, expect } from "vitest";
import { disclosureControl, disclosureRule } from "@community-safety/core";
import { expectInputError } from "../helpers/errors.js";

/** Every line (cells that differ in one dimension only) holds zero or at least two withheld counts. */
function noLoneWithheld(rows: Record<string, unknown>[], dims: string[], count = "count"): boolean {
  for (const d of dims) {
    const lines = new Map<string, number>();
    for (const r of rows) {
      const key = dims.filter((e) => e !== d).map((e) => String(r[e])).join("|");
      lines.set(key, (lines.get(key) ?? 0) + (r[count] === null ? 1 : 0));
    }
    if ([...lines.values()].some((n) => n === 1)) return false;
  }
  return true;
}

describe("disclosureControl", () => {
  it("withholds 1–4 and the smallest other count of the line, so the total cannot recover it (hand-worked)", () => {
    const rows = [
      { area: "A", count: 2, rate: 0.5 },
      { area: "B", count: 9, rate: 1.1 },
      { area: "C", count: 30, rate: 2.4 },
      { area: "D", count: 0, rate: 0 },
    ];
    const r = disclosureControl(rows, { derived: ["rate"] });
    // A (2) is disclosive; with only A withheld, A = total − 9 − 30 − 0, so B (the smallest
    // non-zero other) is withheld too. A known zero would protect nothing, so D stays.
    expect(r.rows.map((x) => [x.area, x.count, x.rate, x.suppressed])).toEqual([
      ["A", null, null, "count: primary"],
      ["B", null, null, "count: secondary"],
      ["C", 30, 2.4, null],
      ["D", 0, 0, null],
    ]);
    expect([r.primary, r.secondary]).toEqual([1, 1]);
    expect(rows[0].count).toBe(2); // inputs are not modified
  });

  it("a 2 × 2 table with one small cell withholds all four (each row and column would give it away)", () => {
    const rows = [
      { category: "burglary", district: "North", count: 3 },
      { category: "burglary", district: "South", count: 10 },
      { category: "robbery", district: "North", count: 20 },
      { category: "robbery", district: "South", count: 15 },
    ];
    const r = disclosureControl(rows);
    expect(r.rows.map((x) => x.count)).toEqual([null, null, null, null]);
    expect([r.primary, r.secondary]).toEqual([1, 3]);
  });

  it("margins: only lines whose total is published get secondary suppression", () => {
    // Hand-worked: streets × types where a type's total over streets is published but a street's
    // total over types is not. Burglary at Elm Street (2) is disclosive; along the burglary line
    // (Elm 2, Oak 7, Ash 30) the smallest other non-zero count (Oak 7) goes too. The street lines
    // (Elm: 2, 9; Oak: 7, 40) are not margins, so the robberies stay published.
    const rows = [
      { type: "burglary", street: "Elm", count: 2 },
      { type: "burglary", street: "Oak", count: 7 },
      { type: "burglary", street: "Ash", count: 30 },
      { type: "robbery", street: "Elm", count: 9 },
      { type: "robbery", street: "Oak", count: 40 },
      { type: "robbery", street: "Ash", count: 20 },
    ];
    const r = disclosureControl(rows, { dimensions: ["type", "street"], margins: ["street"] });
    expect(r.rows.map((x) => x.count)).toEqual([null, null, 30, 9, 40, 20]);
    expect([r.primary, r.secondary]).toEqual([1, 1]);
    // With every dimension a margin (the default) the street lines are protected too, and in this
    // small table that takes everything (traced by hand, street lines first): Elm loses its 9; the
    // burglary line loses Oak 7; the robbery line (9 withheld) loses Ash 20; then Oak (7) loses 40
    // and Ash (20) loses 30.
    const all = disclosureControl(rows, { dimensions: ["type", "street"] });
    expect(all.rows.map((x) => x.count)).toEqual([null, null, null, null, null, null]);
    expect([all.primary, all.secondary]).toEqual([1, 5]);
    expectInputError(() => disclosureControl(rows, { dimensions: ["type", "street"], margins: ["area"] }), "invalid-option", 'disclosureControl: margins must be a list of the dimensions (type, street), got ["area"]');
  });

  it("larger tables: every disclosive count is withheld, no line holds a lone withheld count, large counts survive", () => {
    const cats = ["a", "b", "c", "d"];
    const areas = ["W", "X", "Y", "Z"];
    const values = [2, 50, 40, 33, 30, 60, 70, 1, 25, 80, 90, 44, 41, 42, 43, 45];
    const rows = cats.flatMap((category, i) => areas.map((district, j) => ({ category, district, count: values[i * 4 + j] })));
    const r = disclosureControl(rows, { dimensions: ["category", "district"] });
    expect(r.rows.filter((x, k) => values[k] > 0 && values[k] < 5).every((x) => x.count === null)).toBe(true);
    expect(noLoneWithheld(r.rows, ["category", "district"])).toBe(true);
    expect(r.primary).toBe(2);
    expect(r.rows.filter((x) => x.count !== null).length).toBeGreaterThanOrEqual(8); // at most half withheld here
  });

  it("several count columns (change: previous and current) are protected one by one; a threshold of 10 withholds 1–9", () => {
    const rows = [
      { category: "robbery", previous: 12, current: 7, percentChange: -0.42 },
      { category: "burglary", previous: 300, current: 280, percentChange: -0.07 },
      { category: "arson", previous: 15, current: 40, percentChange: 1.67 },
    ];
    const r = disclosureControl(rows, { counts: ["previous", "current"], derived: ["percentChange"], threshold: 10 });
    expect(r.rows.map((x) => [x.previous, x.current, x.percentChange])).toEqual([
      [12, null, null],
      [300, 280, -0.07],
      [15, null, null],
    ]);
    expect(r.rows[2].suppressed).toBe("current: secondary");
  });

  it("method 'round' rounds every count to base 5 (0 stays 0; 1–2 → 0; 3–7 → 5)", () => {
    const r = disclosureControl([0, 1, 2, 3, 7, 8, 12].map((count, i) => ({ id: String(i), count })), { method: "round" });
    expect(r.rows.map((x) => x.count)).toEqual([0, 0, 0, 5, 5, 10, 10]);
    expect(r.rounded).toBe(6); // 1, 2, 3, 7, 8 and 12 changed
    expect(disclosureRule({ method: "round" })).toBe("Every count is rounded to the nearest multiple of 5 (counts of 1–2 show as 0), so no small count is published exactly.");
  });

  it("rejects bad policies and counts that are not counts", () => {
    expectInputError(() => disclosureControl([], { threshold: 1 }), "invalid-option", "disclosureControl: threshold must be an integer from 2 to 1000, got 1");
    expectInputError(() => disclosureControl([], { method: "blur" as "round" }), "invalid-option", 'disclosureControl: method must be "suppress" or "round", got "blur"');
    expectInputError(() => disclosureControl([{ count: -1 }]), "invalid-option", "disclosureControl: rows[0].count must be a non-negative number (a count), got -1");
  });
});
