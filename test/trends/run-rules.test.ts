import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { controlChart } from "@community-safety/trends";
import { runRules, type RunSignal } from "@community-safety/trends";
import { fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

// Reference signals: test/fixtures/trends/spc.R (R 4.2.2) implements the four rules separately
// with rle() over sign(x − centre) and sign(diff(x)) and sliding 3-point windows → spc.json.
const spc = JSON.parse(readFileSync(fixturePath("trends", "spc.json"), "utf8"));

type Ref = { rule: string; start: number; end: number; direction: string };
const key = (s: Ref | RunSignal) => `${s.rule}:${s.start}-${s.end}:${s.direction}`;
const keys = (list: readonly (Ref | RunSignal)[]) => list.map(key).sort();

describe("runRules, hand-worked", () => {
  it("flags a point beyond a limit, merging consecutive ones", () => {
    const r = runRules([1, 2, 10, 11, 2, -1], 3, 0, 8);
    expect(r.signals.map(key)).toEqual(["beyondLimits:2-3:up", "beyondLimits:5-5:down"]);
    expect(Array.from(r.flags.beyondLimits)).toEqual([0, 0, 1, 1, 0, 1]);
    expect(r.signals[0].sentence).toBe("2 consecutive points above the upper control limit (points 3–4)");
    expect(r.signals[1].sentence).toBe("1 point below the lower control limit (point 6)");
    // A point exactly on a limit is not beyond it.
    expect(runRules([8, 0], 3, 0, 8).signals).toEqual([]);
  });

  it("flags 8 points in a row on one side of the centre line; a point on the line breaks the run", () => {
    const eight = [6, 6, 7, 6, 8, 6, 7, 6, 4];
    const r = runRules(eight, 5, 0, 10);
    expect(r.signals.map(key)).toEqual(["shift:0-7:up"]);
    expect(r.signals[0].sentence).toBe("8 points in a row above the centre line (points 1–8)");
    expect(Array.from(r.flags.shift)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(runRules([6, 6, 7, 5, 6, 8, 6, 7, 6], 5, 0, 10).signals).toEqual([]); // index 3 sits on the centre line
    expect(runRules(eight.slice(1), 5, 0, 10).signals).toEqual([]); // only 7
    expect(runRules(eight.slice(1), 5, 0, 10, { shift: 7 }).signals.map(key)).toEqual(["shift:0-6:up"]);
  });

  it("flags 6 points in a row rising (5 rises); a tie breaks the trend", () => {
    const r = runRules([1, 2, 3, 4, 5, 6], 3.5, 0, 7);
    expect(r.signals.map(key)).toEqual(["trend:0-5:up"]);
    expect(r.signals[0].points).toBe(6);
    expect(r.signals[0].sentence).toBe("6 points in a row rising (points 1–6)");
    expect(runRules([1, 2, 3, 4, 5], 3, 0, 7).signals).toEqual([]); // 5 points
    // 1 2 3 3 4 5 6: the tie splits it into 3 and 4 points.
    expect(runRules([1, 2, 3, 3, 4, 5, 6], 3.5, 0, 7).signals).toEqual([]);
    expect(runRules([1, 2, 3, 3, 4, 5, 6], 3.5, 0, 7, { trend: 4 }).signals.map(key)).toEqual(["trend:3-6:up"]);
    // A falling run that shares its first point with the end of a rising one.
    const peak = runRules([1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1], 3.5, 0, 7);
    expect(peak.signals.map(key)).toEqual(["trend:0-5:up", "trend:5-10:down"]);
    expect(peak.signals[1].sentence).toBe("6 points in a row falling (points 6–11)");
  });

  it("optionally flags 2 of 3 points beyond 2σ on the same side", () => {
    // Limits at 3σ = 3 → σ = 1, 2σ zone beyond ±2.
    const v = [2.5, 0, 2.2, 0, 0, -2.1, -2.5, 0, 2.1, -2.1, 0];
    expect(runRules(v, 0, -3, 3).signals).toEqual([]); // off by default
    const r = runRules(v, 0, -3, 3, { twoOfThree: true });
    expect(r.signals.map(key)).toEqual(["twoOfThree:0-2:up", "twoOfThree:5-6:down"]);
    expect(r.signals[0].points).toBe(2);
    expect(Array.from(r.flags.twoOfThree)).toEqual([1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0]);
    expect(r.signals[0].sentence).toBe("2 points more than 2σ above the centre line, at least 2 in every 3 in a row (points 1–3)");
    // limitSigma: the same limits read as 2σ limits put the 2σ zone at the limits themselves.
    expect(runRules([2.9, 0, 2.9], 0, -3, 3, { twoOfThree: true, limitSigma: 2 }).signals).toEqual([]);
  });

  it("never lets a run cross a phase start", () => {
    const v = [6, 6, 6, 6, 6, 6, 6, 6];
    expect(runRules(v, 5, 0, 10).signals.map(key)).toEqual(["shift:0-7:up"]);
    expect(runRules(v, 5, 0, 10, { breaks: [4] }).signals).toEqual([]);
    expect(runRules([1, 2, 3, 4, 5, 6], 3.5, 0, 7, { breaks: [3] }).signals).toEqual([]);
  });

  it("skips missing values (NaN): never flagged, and they break runs", () => {
    const r = runRules([6, 6, 6, 6, NaN, 6, 6, 6, 6], 5, 0, 10, { shift: 5 });
    expect(r.signals).toEqual([]);
    expect(runRules([NaN, 20], 5, 0, 10).signals.map(key)).toEqual(["beyondLimits:1-1:up"]);
  });

  it("uses labels in sentences and sums up", () => {
    const labels = ["2021-01", "2021-02", "2021-03", "2021-04", "2021-05", "2021-06"];
    const r = runRules([1, 2, 3, 4, 5, 9], 3.5, 0, 8, { labels });
    expect(r.signals.map((s) => s.sentence)).toEqual(["6 points in a row rising (2021-01 to 2021-06)", "1 point above the upper control limit (2021-06)"]);
    expect(r.sentence).toBe("2 special-cause signals: 6 points in a row rising (2021-01 to 2021-06); 1 point above the upper control limit (2021-06).");
    expect(Array.from(r.special)).toEqual([1, 1, 1, 1, 1, 1]);
    const none = runRules([1, 2, 1, 2], 1.5, 0, 3);
    expect(none.sentence).toBe("No special-cause variation: no point is beyond the control limits and no run rule is met.");
    expect(runRules([], 0, 0, 0).signals).toEqual([]);
  });

  it("reads a controlChart result the same as its arrays", () => {
    const values = [5, 6, 5, 7, 6, 5, 6, 14, 5, 6];
    const chart = controlChart(values, { type: "xmr" });
    const a = runRules(chart, { twoOfThree: true });
    const b = runRules(values, chart.centre, chart.lower, chart.upper, { twoOfThree: true });
    expect(a.signals).toEqual(b.signals);
    expect(a.signals.map(key)).toEqual(["beyondLimits:7-7:up"]);
  });

  it("does not mutate its inputs", () => {
    const v = [1, 2, 3, 4, 5, 6];
    const c = [3, 3, 3, 3, 3, 3];
    runRules(v, c, 0, 7, { twoOfThree: true });
    expect(v).toEqual([1, 2, 3, 4, 5, 6]);
    expect(c).toEqual([3, 3, 3, 3, 3, 3]);
  });

  it("throws InputError with a code for each kind of bad input", () => {
    const chart = controlChart([1, 2, 3], { type: "c" });
    const bad: [() => unknown, string, RegExp][] = [
      [() => runRules([1, 2], [1], 0, 3), "length-mismatch", /^runRules: centre must have one entry per value \(2\), got 1$/],
      [() => runRules([1, 2], 1, 0, 3, { shift: 1 }), "invalid-option", /shift must be an integer of at least 2, got 1/],
      [() => runRules([1, 2], 1, 0, 3, { trend: 2.5 }), "invalid-option", /trend must be an integer of at least 3, got 2.5/],
      [() => runRules([1, 2], 1, 0, 3, { twoOfThree: 1 as unknown as boolean }), "invalid-option", /twoOfThree must be true or false/],
      [() => runRules([1, 2], 1, 0, 3, { limitSigma: -3 }), "invalid-option", /limitSigma must be a positive finite number/],
      [() => runRules([1, 2], 1, 0, 3, { breaks: [2] }), "invalid-option", /breaks must be strictly increasing integers from 1 to 1/],
      [() => runRules([1, 2], 1, 0, 3, { labels: ["a"] }), "invalid-option", /labels must be an array of 2 strings/],
      [() => runRules(chart, { breaks: [1] }), "invalid-option", /breaks must be omitted when a chart is given/],
      [() => runRules(chart, { limitSigma: 3 }), "invalid-option", /limitSigma must be omitted when a chart is given/],
      [() => runRules("x" as unknown as number[], 1, 0, 3), "invalid-option", /values must be a controlChart result or an array of numbers/],
    ];
    for (const [f, code, message] of bad) {
      const e = thrownInputError(f);
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
    }
  });
});

describe("runRules against R", () => {
  it("matches R on seeded series with a planted shift (and drift), limits frozen on the first 15 points", () => {
    const cases = spc.runRules.slice(0, 6);
    let total = 0;
    for (const c of cases) {
      const chart = controlChart(c.values, { type: "xmr", baseline: c.baseline });
      expect(chart.centre[0]).toBeCloseTo(c.chart.centre, 12);
      expect(chart.upper[0]).toBeCloseTo(c.chart.upper, 12);
      expect(chart.lower[0]).toBeCloseTo(c.chart.lower, 12);
      const r = runRules(chart, { twoOfThree: true });
      expect(keys(r.signals)).toEqual(keys(c.signals));
      total += r.signals.length;
    }
    expect(total).toBeGreaterThan(10); // the fixture exercises the rules
  });

  it("matches R on a two-phase series with trends, a tie and a run cut by the phase start", () => {
    const c = spc.runRules[6];
    const chart = controlChart(c.values, { type: "xmr", breaks: [c.breaks] });
    expect(chart.phases[0].upper).toBeCloseTo(c.phase1.upper, 12);
    expect(chart.phases[1].upper).toBeCloseTo(c.phase2.upper, 12);
    const r = runRules(chart, { twoOfThree: true });
    expect(keys(r.signals)).toEqual(keys(c.signals));
    // The rise 40 → 61 (indices 24–34) is cut at the phase start (28): 7 points in phase 2 only.
    expect(r.signals.filter((s) => s.rule === "trend").map(key)).toContain("trend:28-34:up");
    const mdc = runRules(chart, { shift: 7, trend: 7, twoOfThree: true });
    expect(keys(mdc.signals)).toEqual(keys(c.signalsMdc));
  });

  it("matches R on Charnwood monthly crime (XmR, NHS settings, c and u charts, two phases)", () => {
    const C = spc.charnwood;
    const labels: string[] = C.months;
    const xmr = controlChart(C.counts, { type: "xmr" });
    const r = runRules(xmr, { twoOfThree: true, labels });
    expect(keys(r.signals)).toEqual(keys(C.xmrSignals));
    // January and February 2021 (the third national lockdown) fall below the lower limit; 2022-03 is above it;
    // the last ten months (Jan – Oct 2022) sit above the centre line.
    expect(r.signals.find((s) => s.rule === "shift")!.sentence).toBe("10 points in a row above the centre line (2022-01 to 2022-10)");
    expect(r.signals[0]).toMatchObject({ rule: "twoOfThree", start: 0, end: 4, direction: "down" });
    expect(keys(runRules(xmr, { shift: 7, trend: 7, twoOfThree: true }).signals)).toEqual(keys(C.xmrSignalsMdc));
    const c = controlChart(C.counts, { type: "c" });
    expect(keys(runRules(c).signals)).toEqual(keys(C.cSignals));
    const u = controlChart(C.counts, { type: "u", exposures: C.days });
    expect(keys(runRules(u).signals)).toEqual(keys(C.uSignals));
    const phased = controlChart(C.counts, { type: "xmr", breaks: [C.phaseStart] });
    expect(keys(runRules(phased, { twoOfThree: true }).signals)).toEqual(keys(C.phasedSignals));
  });
});
