import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { CHICAGO_CODE, IncidentTableBuilder, PRECISION, clockFor, declaredCoverage, readPoliceUk, type IncidentTable } from "@community-safety/core";
import { readDelimitedFiles } from "@community-safety/core/node";
import { exceptionalPeriod } from "@community-safety/trends";
import { dataPath, fixturePath } from "../helpers/data.js";
import { expectInputError, thrownInputError } from "../helpers/errors.js";

// Reference values: test/fixtures/trends/spc.R (R 4.2.2) counts the Chicago file's rows by the
// first 10 characters of the local timestamp and runs poisson.test(c(x, sum(prev)), c(1, N)).
const spc = JSON.parse(readFileSync(fixturePath("trends", "spc.json"), "utf8"));
const CHICAGO = dataPath("chicago-aggravated-assaults-2010-2019", "chicago_aggravated_assaults.csv.gz");
const HALLOWEEN = [[10, 30], [10, 31]] as const;

/** Daily counts around Halloween: 2016 → 4, 2017 → 5, 2018 → 3, 2019 → 12 on 30–31 Oct. */
function handDaily() {
  const dates: string[] = [];
  const counts: number[] = [];
  const per: Record<number, [number, number]> = { 2016: [2, 2], 2017: [3, 2], 2018: [1, 2], 2019: [5, 7] };
  for (const y of [2016, 2017, 2018, 2019]) {
    for (const [d, c] of [["10-29", 9], ["10-30", per[y][0]], ["10-31", per[y][1]], ["11-01", 9]] as const) {
      dates.push(`${y}-${d}`);
      counts.push(c);
    }
  }
  return { dates, counts };
}

function minuteTable(zone: string, rows: [number, number, number, number, number][], precision: number = PRECISION.minute, windows: [string, string][] = []): IncidentTable {
  const clock = clockFor(zone);
  const b = new IncidentTableBuilder(zone, "EPSG:32616");
  for (const [y, m, d, h, mi] of rows) {
    const i = b.addRow();
    b.start[i] = clock.fromLocal(y, m, d, h, mi);
    b.end[i] = b.start[i] + 1;
    b.precision[i] = precision;
  }
  for (const w of windows) b.coverage.push(declaredCoverage(w, { zone }));
  return b.finish();
}

describe("exceptionalPeriod on daily counts (hand-worked)", () => {
  it("exceptionalPeriod({dates, counts}, {monthDays}) compares this year with the mean of the years before", () => {
    const r = exceptionalPeriod(handDaily(), { monthDays: HALLOWEEN, label: "Halloween" });
    expect(r.year).toBe(2019); // default: the latest year covered
    expect(r.dates).toEqual(["2019-10-30", "2019-10-31"]);
    expect(r.count).toBe(12);
    expect(r.previous).toEqual([
      { year: 2016, dates: ["2016-10-30", "2016-10-31"], count: 4 },
      { year: 2017, dates: ["2017-10-30", "2017-10-31"], count: 5 },
      { year: 2018, dates: ["2018-10-30", "2018-10-31"], count: 3 },
    ]);
    expect(r.previousTotal).toBe(12);
    expect(r.previousMean).toBe(4);
    expect(r.ratio).toBe(3);
    // R: poisson.test(c(12, 12), c(1, 3)) — p = 0.0082030412854088488, CI 1.2327551408246453 – 7.3007199093726705.
    expect(r.pValue).toBeCloseTo(0.0082030412854088488, 14);
    expect(r.test.lower).toBeCloseTo(1.2327551408246453, 10);
    expect(r.test.upper).toBeCloseTo(7.3007199093726705, 10);
    expect(r.test.exposure2).toBe(3);
    expect(r.excluded).toBe(0);
    expect(r.reason).toBeNull();
    expect(r.sentence).toBe("Halloween 2019: 12 incidents against an average of 4.0 in 2016–2018, 3.00 times (exceptionally high; exact Poisson test p = 0.008).");
    expect(r.method).toMatch(/poisson\.test/);
  });

  it("uses fewer years, an explicit year, one-sided tests and names the dates without a label", () => {
    const r = exceptionalPeriod(handDaily(), { monthDays: [[10, 31]], year: 2018, years: 2, alternative: "greater" });
    expect([r.count, r.previous.map((p) => p.count)]).toEqual([2, [2, 2]]);
    expect(r.test.alternative).toBe("greater");
    expect(r.sentence).toBe("31 Oct 2018: 2 incidents against an average of 2.0 in 2016–2017, 1.00 times (within the usual range; exact Poisson test p = 0.649).");
    // R: poisson.test(c(2, 4), c(1, 2), alternative = "greater")$p.value = 0.64883401920438943
    expect(r.pValue).toBeCloseTo(0.64883401920438943, 14);
    const two = exceptionalPeriod(handDaily(), { monthDays: HALLOWEEN, years: 1 });
    expect(two.sentence).toMatch(/^30 Oct – 31 Oct 2019: 12 incidents against an average of 3\.0 in 2018, 4\.00 times/);
  });

  it("reports zero years with a reason instead of a ratio or p-value", () => {
    const zero = { dates: ["2018-11-05", "2019-11-05", "2020-11-05"], counts: [0, 0, 3] };
    const r = exceptionalPeriod(zero, { monthDays: [[11, 5]], years: 2 });
    expect(r.ratio).toBeNull();
    expect(r.reason).toBe("no incidents on these days in the earlier years: the ratio is infinite");
    // R: poisson.test(c(3, 0), c(1, 2))$p.value = 0.037037037037037049
    expect(r.pValue).toBeCloseTo(0.037037037037037049, 14);
    const none = exceptionalPeriod({ dates: zero.dates, counts: [0, 0, 0] }, { monthDays: [[11, 5]], years: 2 });
    expect([none.pValue, none.ratio]).toEqual([null, null]);
    expect(none.reason).toBe("no incidents on these days in any year: nothing to compare");
    expect(none.sentence).toBe("5 Nov 2020: 0 incidents against an average of 0.0 in 2018–2019 (no incidents in any year).");
  });

  it("refuses years whose days are missing rather than reading them as zero", () => {
    const d = handDaily();
    const gap = { dates: d.dates.filter((s) => s !== "2017-10-31"), counts: d.counts.filter((_, i) => d.dates[i] !== "2017-10-31") };
    expect(exceptionalPeriod(gap, { monthDays: HALLOWEEN, years: 1 }).count).toBe(12);
    const e = thrownInputError(() => exceptionalPeriod(gap, { monthDays: HALLOWEEN, years: 3 }));
    expect(e.code).toBe("invalid-option");
    expect(e.message).toBe("exceptionalPeriod: years must be at most 1 (the data cover the same days only back to 2018), got 3");
    expect(thrownInputError(() => exceptionalPeriod(gap, { monthDays: HALLOWEEN, year: 2017, years: 1 })).message).toMatch(/year must be a year whose days the data cover \(30 Oct – 31 Oct 2017 is not covered\), got 2017/);
  });
});

describe("exceptionalPeriod on an incident table", () => {
  it("counts incidents by the local date of their window start in the table's zone (or another)", () => {
    // Chicago is on CDT (UTC−5) on 31 October: 23:30 local on 31 Oct is 04:30Z on 1 Nov — still Halloween.
    const rows: [number, number, number, number, number][] = [
      [2018, 10, 30, 0, 0],
      [2018, 10, 31, 23, 30],
      [2018, 11, 1, 0, 0], // not counted
      [2019, 10, 29, 23, 59], // not counted
      [2019, 10, 30, 12, 0],
      [2019, 10, 31, 23, 30],
      [2019, 10, 31, 23, 59],
    ];
    // Found from the records, the data cover 30 Oct – 30 Nov 2018 and October 2019 (Chicago days).
    const found = minuteTable("America/Chicago", rows);
    const r = exceptionalPeriod(found, { monthDays: HALLOWEEN, years: 1 });
    expect([r.year, r.count, r.previous[0].count]).toEqual([2019, 3, 2]);
    // London's 30 October 2018 starts at 19:00 on 29 October in Chicago, before that coverage:
    // the earlier year is not wholly covered, so it is not compared (never counted as zero).
    expectInputError(() => exceptionalPeriod(found, { monthDays: HALLOWEEN, years: 1, year: 2019, zone: "Europe/London" }), "invalid-option", "exceptionalPeriod: years must be at most 0 (the data cover the same days only back to 2019), got 1");
    // An extract declared to hold October–November of both years covers London's days too.
    const t = minuteTable("America/Chicago", rows, PRECISION.minute, [["2018-10", "2018-11"], ["2019-10", "2019-11"]]);
    // Read in London (GMT, UTC+0, after 27 Oct 2019): 23:30 CDT on 31 Oct is 04:30 on 1 Nov (out),
    // while 23:59 CDT on 29 Oct is 04:59 on 30 Oct (in).
    const london = exceptionalPeriod(t, { monthDays: HALLOWEEN, years: 1, year: 2019, zone: "Europe/London" });
    expect([london.count, london.previous[0].count]).toEqual([2, 1]);
  });

  it("refuses month-precision records that overlap a compared day, or excludes and counts them", () => {
    const csv = [
      "Crime ID,Month,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type",
      ",2018-10,-1.2,52.7,On or near A,E01,Charnwood 001A,Anti-social behaviour",
      ",2019-10,-1.2,52.7,On or near A,E01,Charnwood 001A,Anti-social behaviour",
      ",2019-10,-1.2,52.7,On or near A,E01,Charnwood 001A,Anti-social behaviour",
      ",2019-03,-1.2,52.7,On or near A,E01,Charnwood 001A,Anti-social behaviour",
    ].join("\n");
    const { table } = readPoliceUk(csv);
    const e = thrownInputError(() => exceptionalPeriod(table, { monthDays: HALLOWEEN, year: 2019, years: 1 }));
    expect(e.code).toBe("precision-too-coarse");
    expect(e.message).toBe('exceptionalPeriod: records must be known to the day to be counted on 2018-10-30, got a month-precision record at row 0; use coarse: "exclude"');
    const r = exceptionalPeriod(table, { monthDays: HALLOWEEN, year: 2019, years: 1, coarse: "exclude" });
    expect([r.count, r.previous[0].count, r.excluded]).toEqual([0, 0, 3]); // the March record overlaps no compared day
    // A month record that overlaps no compared day is no obstacle, even with coarse: "error".
    const mixed = minuteTable("Europe/London", [[2018, 10, 30, 20, 0], [2019, 10, 31, 21, 0], [2019, 10, 31, 22, 0]]);
    const clock = clockFor("Europe/London");
    const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
    for (let i = 0; i < mixed.length; ++i) {
      const k = b.addRow();
      b.start[k] = mixed.start[i];
      b.end[k] = mixed.end[i];
      b.precision[k] = PRECISION.minute;
    }
    const k = b.addRow();
    b.start[k] = clock.fromLocal(2019, 3, 1);
    b.end[k] = clock.fromLocal(2019, 4, 1);
    b.precision[k] = PRECISION.month;
    const m = exceptionalPeriod(b.finish(), { monthDays: HALLOWEEN, years: 1 });
    expect([m.count, m.previous[0].count, m.excluded]).toEqual([2, 1, 0]);
    expect(() => exceptionalPeriod(table, { monthDays: [[11, 5]], year: 2018, years: 0 })).toThrow(/years must be a positive integer/);
  });

  it("wraps past New Year: [[12, 31], [1, 1]] is New Year's Eve and the next day", () => {
    const t = minuteTable("America/Chicago", [
      [2017, 12, 31, 22, 0],
      [2018, 1, 1, 1, 0],
      [2018, 12, 31, 23, 0],
      [2019, 1, 1, 0, 30],
      [2019, 1, 1, 2, 0],
      [2019, 1, 2, 0, 0],
    ]);
    const r = exceptionalPeriod(t, { monthDays: [[12, 31], [1, 1]], years: 1, label: "New Year" });
    expect(r.year).toBe(2018);
    expect(r.dates).toEqual(["2018-12-31", "2019-01-01"]);
    expect([r.count, r.previous[0].count]).toEqual([3, 2]);
    expect(r.sentence).toMatch(/^New Year 2018\/19: 3 incidents/);
    expect(exceptionalPeriod(t, { monthDays: [[12, 31], [1, 1]], years: 1 }).sentence).toMatch(/^31 Dec 2018 – 1 Jan 2019:/);
  });

  it("does not mutate the table", () => {
    const t = minuteTable("America/Chicago", [[2018, 10, 30, 1, 0], [2019, 10, 30, 1, 0]]);
    const before = Array.from(t.start);
    expect(exceptionalPeriod(t, { monthDays: [[10, 30]], years: 1 }).count).toBe(1);
    expect(Array.from(t.start)).toEqual(before);
  });

  it("throws InputError with a code for each kind of bad input", () => {
    const daily = handDaily();
    const t = minuteTable("America/Chicago", [[2019, 10, 30, 1, 0]]);
    const bad: [() => unknown, string, RegExp][] = [
      [() => exceptionalPeriod(daily, { monthDays: [] }), "invalid-option", /^exceptionalPeriod: monthDays must be a non-empty list of \[month, day\] pairs/],
      [() => exceptionalPeriod(daily, { monthDays: [[2, 29]] }), "invalid-option", /monthDays/],
      [() => exceptionalPeriod(daily, { monthDays: [[13, 1]] }), "invalid-option", /monthDays/],
      [() => exceptionalPeriod(daily, { monthDays: [[10, 31], [10, 30], [10, 29]] }), "invalid-option", /wrapping past New Year at most once/],
      [() => exceptionalPeriod(daily, { monthDays: [[10, 31], [10, 31]] }), "invalid-option", /monthDays/],
      [() => exceptionalPeriod(daily, { monthDays: [[3, 1]] }), "invalid-option", /monthDays must be days the data cover in at least one year/],
      [() => exceptionalPeriod(daily, { monthDays: HALLOWEEN, years: 1.5 }), "invalid-option", /years must be a positive integer, got 1.5/],
      [() => exceptionalPeriod(daily, { monthDays: HALLOWEEN, year: 19 }), "invalid-option", /year must be a four-digit year, got 19/],
      [() => exceptionalPeriod(daily, { monthDays: HALLOWEEN, alternative: "both" as "less" }), "invalid-option", /alternative must be one of/],
      [() => exceptionalPeriod(daily, { monthDays: HALLOWEEN, confLevel: 95 }), "invalid-option", /confLevel must be a number strictly between 0 and 1, got 95/],
      [() => exceptionalPeriod(daily, { monthDays: HALLOWEEN, zone: "Europe/London" }), "invalid-option", /zone must be given only with an incident table/],
      [() => exceptionalPeriod(daily, { monthDays: HALLOWEEN, coarse: "exclude" }), "invalid-option", /coarse must be given only with an incident table/],
      [() => exceptionalPeriod(t, { monthDays: HALLOWEEN, zone: "Mars/Olympus" }), "invalid-option", /zone must be a valid IANA time zone name, got "Mars\/Olympus"/],
      [() => exceptionalPeriod(t, { monthDays: HALLOWEEN, coarse: "drop" as "exclude" }), "invalid-option", /coarse must be "error" or "exclude"/],
      [() => exceptionalPeriod({ dates: ["2019-10-30"], counts: [1, 2] }, { monthDays: HALLOWEEN }), "length-mismatch", /counts must have one entry per date \(1\), got 2/],
      [() => exceptionalPeriod({ dates: ["2019-10-32"], counts: [1] }, { monthDays: HALLOWEEN }), "invalid-date", /dates\[0\] must be a date YYYY-MM-DD, got "2019-10-32"/],
      [() => exceptionalPeriod({ dates: ["2019-10-30"], counts: [1.5] }, { monthDays: HALLOWEEN }), "invalid-input", /counts\[0\] must be a non-negative integer, got 1.5/],
      [() => exceptionalPeriod({ dates: ["2019-10-30", "2019-10-30"], counts: [1, 1] }, { monthDays: HALLOWEEN }), "invalid-input", /dates\[1\] must be distinct dates/],
      [() => exceptionalPeriod({ dates: [], counts: [] }, { monthDays: HALLOWEEN }), "empty-input", /dates must hold at least one day/],
      [() => exceptionalPeriod(minuteTable("Europe/London", []), { monthDays: HALLOWEEN }), "empty-input", /the table must hold at least one incident/],
    ];
    for (const [f, code, message] of bad) {
      const e = thrownInputError(f);
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
    }
  });
});

describe("exceptionalPeriod on Chicago aggravated assaults 2010–2019 (CHICAGO_CODE)", async () => {
  const { table } = await readDelimitedFiles(CHICAGO, CHICAGO_CODE);
  const R = spc.chicago;

  function expectLikeR(r: ReturnType<typeof exceptionalPeriod>, ref: { year: number; count: number; previous: number[]; mean: number; ratio: number; pValue: number; lower: number; upper: number }) {
    expect(r.year).toBe(ref.year);
    expect(r.count).toBe(ref.count);
    expect(r.previous.map((p) => p.count)).toEqual(ref.previous);
    expect(r.previousMean).toBeCloseTo(ref.mean, 12);
    expect(r.ratio).toBeCloseTo(ref.ratio, 12);
    expect(r.pValue).toBeCloseTo(ref.pValue, 12);
    expect(r.test.lower).toBeCloseTo(ref.lower, 9);
    expect(r.test.upper).toBeCloseTo(ref.upper, 9);
  }

  it("Halloween 2019 was quieter than 2016–2018 (78 against a mean of 107), as R", () => {
    const r = exceptionalPeriod(table, { monthDays: HALLOWEEN, label: "Halloween" });
    expectLikeR(r, R.halloween2019);
    expect(r.previous.map((p) => p.year)).toEqual([2016, 2017, 2018]);
    expect(r.sentence).toBe("Halloween 2019: 78 incidents against an average of 107.0 in 2016–2018, 0.73 times (exceptionally low; exact Poisson test p = 0.011).");
    // Against five years (2014–2018) the drop is within the usual range.
    const five = exceptionalPeriod(table, { monthDays: HALLOWEEN, years: 5 });
    expectLikeR(five, R.halloween2019y5);
    expect(five.sentence).toMatch(/within the usual range/);
    // The data start in 2010: nine earlier Halloweens at most.
    expect(thrownInputError(() => exceptionalPeriod(table, { monthDays: HALLOWEEN, years: 10 })).message).toMatch(/years must be at most 9 \(the data cover the same days only back to 2010\)/);
  });

  it("4–5 July and New Year's Eve equal R, and the daily-count form gives the same answers", () => {
    expectLikeR(exceptionalPeriod(table, { monthDays: [[7, 4], [7, 5]], year: 2019 }), R.july4th2019);
    expectLikeR(exceptionalPeriod(table, { monthDays: [[12, 31]], year: 2018 }), R.newYear2019);
    const nye = exceptionalPeriod(table, { monthDays: [[12, 31], [1, 1]] });
    expect(nye.year).toBe(2018); // 1 Jan 2020 is beyond the data
    expect([nye.count, nye.previous.map((p) => p.count)]).toEqual([R.nye.count, R.nye.previous]);
    expect(nye.pValue).toBeCloseTo(R.nye.pValue, 12);

    // Daily counts straight from the text (the local date is the first 10 characters).
    const text = gunzipSync(readFileSync(CHICAGO)).toString("utf8").split("\n").slice(1);
    const byDay = new Map<string, number>();
    for (const line of text) if (line) byDay.set(line.slice(0, 10), (byDay.get(line.slice(0, 10)) ?? 0) + 1);
    const daily = { dates: [...byDay.keys()], counts: [...byDay.values()] };
    expectLikeR(exceptionalPeriod(daily, { monthDays: HALLOWEEN }), R.halloween2019);
    expectLikeR(exceptionalPeriod(daily, { monthDays: [[7, 4], [7, 5]] }), R.july4th2019);
  });
});
