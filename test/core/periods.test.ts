import { describe, it, expect } from "vitest";
import { DateTime } from "luxon";
import {
  periodOf,
  parsePeriod,
  shiftPeriod,
  periodsBetween,
  samePeriodLastYear,
  financialYearToDate,
  rollingTwelveMonths,
  periodIndex,
  InputError,
  PRECISION,
} from "@community-safety/core";

const min = (iso: string) => Date.parse(iso) / 60000; // an instant given with an explicit offset
// Independent oracle for local midnights: luxon's own zone arithmetic.
const local = (y: number, m: number, d: number, zone = "Europe/London") => DateTime.fromObject({ year: y, month: m, day: d }, { zone }).toMillis() / 60000;

describe("periods", () => {
  it("periodOf puts 00:30 BST on 1 April in the new financial year (23:30 UTC on 31 March)", () => {
    expect(periodOf(min("2022-03-31T23:30:00Z"), "financialYear").key).toBe("2022/23");
    expect(periodOf(min("2022-03-31T22:59:00Z"), "financialYear").key).toBe("2021/22");
  });

  it("a financial year runs from local midnight 1 April to local midnight 1 April", () => {
    const fy = parsePeriod("2021/22");
    expect(fy.start).toBe(min("2021-03-31T23:00:00Z")); // BST in force on 1 April 2021
    expect(fy.end).toBe(min("2022-03-31T23:00:00Z"));
    expect(fy.label).toBe("Apr 2021 – Mar 2022");
  });

  it("months across clock changes have 743 and 745 hours", () => {
    expect((parsePeriod("2021-03").end - parsePeriod("2021-03").start) / 60).toBe(31 * 24 - 1);
    expect((parsePeriod("2021-10").end - parsePeriod("2021-10").start) / 60).toBe(31 * 24 + 1);
    expect(parsePeriod("2021-10").start).toBe(local(2021, 10, 1));
  });

  it("days across clock changes have 23 and 25 hours", () => {
    const spring = parsePeriod("2021-03-28");
    const autumn = parsePeriod("2021-10-31");
    expect((spring.end - spring.start) / 60).toBe(23);
    expect((autumn.end - autumn.start) / 60).toBe(25);
    // 00:59 UTC on 28 March is 00:59 GMT; 01:00 UTC is 02:00 BST: same local day.
    expect(periodOf(min("2021-03-28T00:59:00Z"), "day").key).toBe("2021-03-28");
    expect(periodOf(min("2021-03-28T23:30:00Z"), "day").key).toBe("2021-03-29"); // 00:30 BST
  });

  it("ISO weeks: 3 Jan 2021 is 2020-W53 and 4 Jan 2021 starts 2021-W01", () => {
    expect(periodOf(min("2021-01-03T12:00:00Z"), "isoWeek").key).toBe("2020-W53");
    expect(periodOf(min("2021-01-04T00:00:00Z"), "isoWeek").key).toBe("2021-W01");
    expect(parsePeriod("2021-W01").start).toBe(local(2021, 1, 4));
    expect(() => parsePeriod("2021-W53")).toThrow(/not a valid isoWeek/);
  });

  it("quarters, years and a configurable financial-year start", () => {
    expect(periodOf(min("2021-09-30T22:59:00Z"), "quarter").key).toBe("2021-Q3");
    expect(periodOf(min("2021-09-30T23:00:00Z"), "quarter").key).toBe("2021-Q4");
    expect(periodOf(min("2021-06-15T12:00:00Z"), "financialYear", { fyStartMonth: 7 }).key).toBe("2020/21");
    expect(periodOf(min("2021-07-15T12:00:00Z"), "financialYear", { fyStartMonth: 7 }).key).toBe("2021/22");
  });

  it("financialYearToDate as at October 2022 is Apr–Oct 2022 against Apr–Oct 2021", () => {
    const { current, previous } = financialYearToDate("2022-10");
    expect(current.key).toBe("2022-04..2022-10");
    expect(previous.key).toBe("2021-04..2021-10");
    expect(current.start).toBe(local(2022, 4, 1));
    expect(current.end).toBe(local(2022, 11, 1));
    expect(current.label).toBe("2022/23 to date (Apr 2022 – Oct 2022)");
    // As at March, the year to date is the whole financial year.
    expect(financialYearToDate("2022-03").current.key).toBe("2021-04..2022-03");
  });

  it("rollingTwelveMonths as at November 2022 and the 12 months before", () => {
    const { current, previous } = rollingTwelveMonths("2022-11");
    expect(current.key).toBe("2021-12..2022-11");
    expect(previous.key).toBe("2020-12..2021-11");
  });

  it("samePeriodLastYear, shiftPeriod and periodsBetween", () => {
    expect(samePeriodLastYear(parsePeriod("2021/22")).key).toBe("2020/21");
    expect(samePeriodLastYear(parsePeriod("2021-Q1")).key).toBe("2020-Q1");
    expect(samePeriodLastYear(parsePeriod("2024-02-29")).key).toBe("2023-02-28");
    expect(shiftPeriod(parsePeriod("2021-12"), 1).key).toBe("2022-01");
    expect(periodsBetween("2021-11", "2022-02").map((p) => p.key)).toEqual(["2021-11", "2021-12", "2022-01", "2022-02"]);
    expect(periodsBetween("2019-12", "2022-10", "financialYear").map((p) => p.key)).toEqual(["2019/20", "2020/21", "2021/22", "2022/23"]);
  });

  it("parsePeriod rejects malformed keys with invalid-date", () => {
    for (const bad of ["2021-13", "2021/23", "2021-02-30", "21/22", "2022-05..2022-01", ""]) {
      try {
        parsePeriod(bad);
        expect.unreachable(bad);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).code).toBe("invalid-date");
      }
    }
  });

  it("rejects an unknown zone and a bad financial-year start", () => {
    expect(() => parsePeriod("2021", { zone: "Mars/Olympus" })).toThrow('parsePeriod: zone must be a valid IANA time zone name, got "Mars/Olympus"');
    expect(() => parsePeriod("2021/22", { fyStartMonth: 13 })).toThrow("parsePeriod: fyStartMonth must be an integer from 1 to 12, got 13");
  });

  it("periodIndex places a month-precision record in its month but never on a day", () => {
    const start = Int32Array.of(local(2021, 3, 1), min("2021-03-28T01:30:00Z"));
    const data = { length: 2, start, precision: Uint8Array.of(PRECISION.month, PRECISION.minute) };
    const months = periodIndex(data, "month");
    expect(months.periods.map((p) => p.key)).toEqual(["2021-03"]);
    expect(Array.from(months.ordinal, (o) => o - months.offset)).toEqual([0, 0]);
    expect(() => periodIndex(data, "day")).toThrow(InputError);
    try {
      periodIndex(data, "isoWeek");
    } catch (e) {
      expect((e as InputError).code).toBe("precision-too-coarse");
    }
    const days = periodIndex(data, "day", { coarse: "exclude" });
    expect(days.excluded).toBe(1);
    expect(days.ordinal[0]).toBe(-1);
    expect(days.periods.map((p) => p.key)).toEqual(["2021-03-28"]);
  });
});

describe("LocalClock.fromLocal", () => {
  it("resolves repeated and skipped local times by the zone's rules, not by today's date", async () => {
    const { LocalClock } = await import("@community-safety/core");
    const london = new LocalClock("Europe/London");
    // 31 Oct 2021: 01:30 happens twice (BST then GMT); the earlier is 00:30Z.
    expect(london.fromLocal(2021, 10, 31, 1, 30)).toBe(min("2021-10-31T00:30:00Z"));
    // 28 Mar 2021: 01:30 does not exist; it moves forward by the gap to 02:30 BST = 01:30Z.
    expect(london.fromLocal(2021, 3, 28, 1, 30)).toBe(min("2021-03-28T01:30:00Z"));
    expect(london.fromLocal(2021, 3, 28, 0, 59)).toBe(min("2021-03-28T00:59:00Z"));
    expect(london.fromLocal(2021, 3, 28, 3, 0)).toBe(min("2021-03-28T02:00:00Z"));
    // Chicago, 1 Nov 2015: 01:00 CDT (06:00Z) comes before 01:00 CST (07:00Z).
    expect(new LocalClock("America/Chicago").fromLocal(2015, 11, 1, 1, 0)).toBe(min("2015-11-01T06:00:00Z"));
  });
});
