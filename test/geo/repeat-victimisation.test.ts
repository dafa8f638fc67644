/**
 * repeatVictimisation: the synthetic borough's planted repeat burglary (8% of residential
 * burglary victims again within 1–40 days, SYNTHETIC_BOROUGH.md), hand-worked gaps, and the
 * refusal of time-to-repeat on month-precision police.uk data.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { IncidentTableBuilder, PRECISION, dictValue, lsoaNamePrefixTest, selectRows, syntheticBorough, type IncidentTable } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { repeatVictimisation } from "@community-safety/geo";
import { dataPath } from "../helpers/data.js";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

const DAY = 1440;
const T0 = Date.UTC(2021, 0, 4) / 60_000; // a Monday, 00:00 UTC (= London midnight in winter)

type PrecisionName = keyof typeof PRECISION;

/** Rows of [victim, day offset, minutes into the day, precision, category]. */
function tableOf(rows: [string | null, number, number?, PrecisionName?, string?][]): IncidentTable {
  const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
  for (const [victim, day, minute = 0, precision = "minute", category = "burglary"] of rows) {
    const i = b.addRow();
    b.start[i] = T0 + day * DAY + minute;
    b.end[i] = b.start[i] + (precision === "day" ? DAY : 1);
    b.precision[i] = PRECISION[precision];
    b.dict.victim.set(i, victim);
    b.dict.place.set(i, victim === null ? null : `house-${victim}`);
    b.dict.category.set(i, category);
  }
  return b.finish();
}

describe("repeatVictimisation on the synthetic borough", () => {
  const { table, truths } = syntheticBorough({ seed: 1 });
  const planted = truths.repeatBurglary; // { subcategory: "residential", share: 0.08, withinDays: 42 }
  const options = { categories: ["burglary"], subcategories: [planted.subcategory], withinDays: planted.withinDays } as const;

  it("repeatVictimisation(table, { key: 'victim' }) recovers the planted 8% repeat burglary rate within 42 days", () => {
    const r = repeatVictimisation(table, { key: "victim", ...options });
    const rr = r.repeatRate!;
    expect(rr.withinDays).toBe(42);
    // 3-SD binomial band at the number of eligible victims (first burgled ≥ 42 days before the end).
    expect(Math.abs(rr.rate! - planted.share)).toBeLessThan(3 * Math.sqrt((planted.share * (1 - planted.share)) / rr.eligibleVictims));
    expect(rr.eligibleVictims).toBeGreaterThan(0.9 * r.victims);
    // The data end on 2022-03-31 (London): the last record ends in the last day of the period.
    expect(rr.observedUntil.slice(0, 10)).toMatch(/^2022-0(3-31|4-01)$/);
  });

  it("repeatVictimisation counts match a direct count of victim keys", () => {
    const r = repeatVictimisation(table, { key: "victim", ...options });
    const perVictim = new Map<string, number>();
    for (let i = 0; i < table.length; ++i) {
      if (dictValue(table.category, i) !== "burglary" || dictValue(table.subcategory, i) !== "residential") continue;
      const v = dictValue(table.victim, i)!;
      perVictim.set(v, (perVictim.get(v) ?? 0) + 1);
    }
    const incidents = [...perVictim.values()].reduce((s, c) => s + c, 0);
    const repeated = [...perVictim.values()].filter((c) => c > 1).length;
    expect([r.incidents, r.victims, r.repeatVictims, r.repeats, r.unkeyed]).toEqual([incidents, perVictim.size, repeated, incidents - perVictim.size, 0]);
    expect(r.repeatShare).toBeCloseTo((incidents - perVictim.size) / incidents, 15);
    expect(r.concentration).toBeCloseTo(incidents / perVictim.size, 15);
    // Victim keys are shared only by planted repeats: everyone has 1 or 2 burglaries.
    expect(r.distribution.map((d) => d.incidents)).toEqual([1, 2]);
    expect(r.distribution[1].targets).toBe(repeated);
  });

  it("repeatVictimisation's time to repeat matches the planted 1–40 day offsets", () => {
    const t = repeatVictimisation(table, { key: "victim", ...options }).timeToRepeat!;
    // Planted: the repeat falls 1–40 days after the first (uniform), record starts ≤ 42 days apart.
    expect(t.within.map((w) => w.days)).toEqual([7, 14, 30, 42]);
    expect(t.within[3].share).toBe(1);
    // Uniform on 1–40 days: median ≈ 20.5 days, SD of the median ≈ 1.25·11.5/√gaps; 3-SD band.
    const sd = (1.2533 * 11.5) / Math.sqrt(t.gaps);
    expect(Math.abs(t.medianDays! - 20.5)).toBeLessThan(3 * sd + 0.5);
    // Within 30 days: about 29.5/40 of them.
    expect(Math.abs(t.within[2].share! - 29.5 / 40)).toBeLessThan(3 * Math.sqrt((0.74 * 0.26) / t.gaps) + 0.02);
  });

  it("repeatVictimisation(table, { key: 'place' }) finds the same repeat rate at the same house", () => {
    // The place key (street id / house number) also catches chance burglaries of the same house,
    // which the victim key does not, so it can only add repeats to the planted 8%.
    const place = repeatVictimisation(table, { key: "place", ...options });
    const rr = place.repeatRate!;
    expect(Math.abs(rr.rate! - planted.share)).toBeLessThan(3 * Math.sqrt((planted.share * (1 - planted.share)) / rr.eligibleVictims));
    expect(place.victims).toBeLessThan(repeatVictimisation(table, { key: "victim", ...options }).victims);
    expect(place.distribution.at(-1)!.incidents).toBeGreaterThan(2);
  });

  it("repeatVictimisation with targets gives prevalence and incidence", () => {
    const houses = 30_000;
    const r = repeatVictimisation(table, { key: "place", ...options, targets: houses });
    expect(r.prevalence).toBeCloseTo(r.victims / houses, 15);
    expect(r.incidence).toBeCloseTo(r.incidents / houses, 15);
    expect(r.targetsReason).toBeNull();
    expect(r.distribution[0]).toEqual({ incidents: 0, targets: houses - r.victims, share: (houses - r.victims) / houses });
    const without = repeatVictimisation(table, { key: "place", ...options });
    expect([without.prevalence, without.incidence, without.targetsReason?.code]).toEqual([null, null, "no-targets"]);
  });
});

describe("repeatVictimisation on hand-built tables", () => {
  it("repeatVictimisation measures gaps between consecutive incidents at a target", () => {
    const t = tableOf([
      ["A", 40],
      ["A", 0],
      ["A", 5],
      ["B", 10],
      ["C", 100],
      ["C", 130],
      [null, 3], // no victim key: not counted
      ["A", 2, 0, "minute", "robbery"], // another category: not selected
    ]);
    const r = repeatVictimisation(t, { key: "victim", categories: ["burglary"] });
    // By hand: A has 3 (gaps 5 and 35 days), B 1, C 2 (gap 30). Victims 3, incidents 6, repeats 3.
    expect([r.incidents, r.unkeyed, r.victims, r.repeatVictims, r.repeats]).toEqual([6, 1, 3, 2, 3]);
    expect(r.repeatShare).toBe(0.5);
    expect(r.repeatVictimShare).toBeCloseTo(2 / 3, 15);
    expect(r.concentration).toBe(2);
    expect(r.distribution).toEqual([
      { incidents: 1, targets: 1, share: 1 / 3 },
      { incidents: 2, targets: 1, share: 1 / 3 },
      { incidents: 3, targets: 1, share: 1 / 3 },
    ]);
    const tt = r.timeToRepeat!;
    expect([tt.gaps, tt.medianDays, tt.meanDays]).toEqual([3, 30, 70 / 3]);
    expect(tt.within.map((w) => [w.days, w.count])).toEqual([
      [7, 1],
      [14, 1],
      [30, 2], // a gap of exactly 30 days counts as within 30
      [42, 3],
    ]);
    // Observation ends at day 130 (+1 minute). Eligible: first incident ≤ day 88 — A (day 0) and B (day 10); C (day 100) is not.
    // A's second incident is 5 days after its first: repeated within 42 days. Rate 1/2.
    expect(r.repeatRate).toEqual({ withinDays: 42, observedUntil: new Date((T0 + 130 * DAY + 1) * 60_000).toISOString(), eligibleVictims: 2, repeatVictims: 1, rate: 0.5 });
    const short = repeatVictimisation(t, { key: "victim", categories: ["burglary"], withinDays: 4, thresholds: [1] });
    expect([short.repeatRate!.eligibleVictims, short.repeatRate!.repeatVictims]).toEqual([3, 0]); // C is eligible now; A's repeat is 5 days on
    expect(short.timeToRepeat!.within).toEqual([{ days: 1, count: 0, share: 0 }]);
  });

  it("repeatVictimisation accepts day precision but refuses time to repeat for month precision", () => {
    const days = tableOf([
      ["A", 0, 0, "day"],
      ["A", 3, 0, "day"],
    ]);
    expect(repeatVictimisation(days, { key: "victim" }).timeToRepeat!.medianDays).toBe(3);
    const months = tableOf([
      ["A", 0, 0, "month"],
      ["A", 31, 0, "month"],
      ["B", 0, 0, "month"],
    ]);
    const r = repeatVictimisation(months, { key: "victim" });
    expect([r.incidents, r.victims, r.repeatVictims, r.timeToRepeat, r.repeatRate]).toEqual([3, 2, 1, null, null]);
    expect(r.timeReason).toEqual({
      code: "precision-too-coarse",
      message: "repeatVictimisation: time to repeat needs records known at least to the day; 2 record(s) of repeated targets are known only to the month (e.g. row 0)",
    });
  });

  it("repeatVictimisation on an empty selection gives zero counts and null ratios", () => {
    const r = repeatVictimisation(tableOf([["A", 0]]), { key: "victim", categories: ["robbery"] });
    expect([r.incidents, r.victims, r.repeatShare, r.concentration, r.repeatRate]).toEqual([0, 0, null, null, null]);
    expect(r.timeToRepeat).toEqual({ gaps: 0, medianDays: null, meanDays: null, within: [7, 14, 30, 42].map((days) => ({ days, count: 0, share: null })) });
  });

  it("repeatVictimisation validates its options", () => {
    const t = tableOf([["A", 0]]);
    expect(thrown(() => repeatVictimisation(t, { key: "house" as never }))).toEqual(["invalid-option", 'repeatVictimisation: key must be "place", "victim" or "location", got "house"']);
    expect(thrown(() => repeatVictimisation(t, undefined as never))?.[0]).toBe("invalid-option");
    expect(thrown(() => repeatVictimisation(t, { key: "victim", targets: 0 }))?.[1]).toBe("repeatVictimisation: targets must be a positive number of targets at risk, got 0");
    expect(thrown(() => repeatVictimisation(t, { key: "victim", withinDays: -1 }))?.[1]).toBe("repeatVictimisation: withinDays must be a positive number of days, got -1");
    expect(thrown(() => repeatVictimisation(t, { key: "victim", thresholds: [7, NaN] }))?.[0]).toBe("invalid-option");
    expect(thrown(() => repeatVictimisation(t, { key: "victim", subcategories: [] }))?.[0]).toBe("invalid-option");
    expect(thrown(() => repeatVictimisation(t, { key: "victim", categories: [] }))?.[0]).toBe("unknown-category");
  });

  it("repeatVictimisation does not modify its input", () => {
    const t = tableOf([
      ["B", 9],
      ["A", 0],
      ["A", 5],
    ]);
    const before = [Array.from(t.start), Array.from(t.victim.codes)];
    repeatVictimisation(t, { key: "victim" });
    expect([Array.from(t.start), Array.from(t.victim.codes)]).toEqual(before);
  });
});

describe("repeatVictimisation on Charnwood police.uk burglary (month precision)", () => {
  let charnwood: IncidentTable;
  beforeAll(async () => {
    const all = await readPoliceUkFiles(dataPath("policeuk-leicestershire", "county-2019-12_2022-10"));
    charnwood = selectRows(all.table, lsoaNamePrefixTest(all.table, "Charnwood"));
  });

  it("repeatVictimisation(table, { key: 'location' }) counts repeats at snap points and refuses time to repeat", () => {
    const r = repeatVictimisation(charnwood, { key: "location", categories: ["burglary"] });
    // Direct count: distinct (location, x, y) among Charnwood burglaries.
    const perPoint = new Map<string, number>();
    let burglaries = 0;
    for (let i = 0; i < charnwood.length; ++i) {
      if (dictValue(charnwood.category, i) !== "burglary") continue;
      ++burglaries;
      const k = `${dictValue(charnwood.location, i)}|${charnwood.x[i]}|${charnwood.y[i]}`;
      perPoint.set(k, (perPoint.get(k) ?? 0) + 1);
    }
    expect(r.incidents).toBe(burglaries);
    expect(r.victims).toBe(perPoint.size);
    expect(r.repeatVictims).toBe([...perPoint.values()].filter((c) => c > 1).length);
    expect(r.distribution.reduce((s, d) => s + d.incidents * d.targets, 0)).toBe(burglaries);
    expect(r.timeToRepeat).toBeNull();
    expect(r.repeatRate).toBeNull();
    expect(r.timeReason!.code).toBe("precision-too-coarse");
    // police.uk has no victim or premises key.
    const victim = repeatVictimisation(charnwood, { key: "victim", categories: ["burglary"] });
    expect([victim.incidents, victim.unkeyed]).toEqual([0, burglaries]);
  });
});
