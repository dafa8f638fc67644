import { describe, it, expect } from "vitest";
import { trajectoryFigure, toSvg, TRAJECTORY_LINES, type TrajectorySeriesRow } from "@community-safety/figures";

const series: TrajectorySeriesRow[] = [
  { id: "b", month: "2022-04", trajectory: 30, baseline: 32, cumulativeActual: 28, projected: null, projectedLower: null, projectedUpper: null },
  { id: "b", month: "2022-05", trajectory: 61, baseline: 65, cumulativeActual: 60, projected: 60, projectedLower: 60, projectedUpper: 60 },
  { id: "b", month: "2022-06", trajectory: 90, baseline: 97, cumulativeActual: null, projected: 91, projectedLower: 80, projectedUpper: 103 },
  { id: "v", month: "2022-04", trajectory: 100, baseline: 110, cumulativeActual: 120 },
  // A target not listed (withheld under --public): not drawn.
  { id: "x", month: "2022-04", trajectory: 5, baseline: 6, cumulativeActual: 2 },
];
const targets = [{ id: "v", name: "Violence" }, { id: "b", name: "Burglary" }];

describe("trajectoryFigure", () => {
  it("trajectoryFigure(series, targets) holds each month's lines with exact values, panels in the targets' order", () => {
    const spec = trajectoryFigure(series, targets) as { data: { values: Record<string, unknown>[] }; facet: { sort: string[] }; columns: number; spec: { width: number; height: number } };
    expect(spec.data.values).toEqual([
      { name: "Burglary", month: "2022-04", line: "Trajectory to target", value: 30 },
      { name: "Burglary", month: "2022-04", line: "Baseline", value: 32 },
      { name: "Burglary", month: "2022-04", line: "Actual", value: 28 },
      { name: "Burglary", month: "2022-05", line: "Trajectory to target", value: 61 },
      { name: "Burglary", month: "2022-05", line: "Baseline", value: 65 },
      { name: "Burglary", month: "2022-05", line: "Actual", value: 60 },
      { name: "Burglary", month: "2022-05", line: "Projected", value: 60, lower: 60, upper: 60 },
      { name: "Burglary", month: "2022-06", line: "Trajectory to target", value: 90 },
      { name: "Burglary", month: "2022-06", line: "Baseline", value: 97 },
      { name: "Burglary", month: "2022-06", line: "Projected", value: 91, lower: 80, upper: 103 },
      { name: "Violence", month: "2022-04", line: "Trajectory to target", value: 100 },
      { name: "Violence", month: "2022-04", line: "Baseline", value: 110 },
      { name: "Violence", month: "2022-04", line: "Actual", value: 120 },
    ]);
    expect(spec.facet.sort).toEqual(["Violence", "Burglary"]);
    expect([spec.columns, spec.spec.width, spec.spec.height]).toEqual([2, 340, 180]);
  });

  it("trajectoryFigure(series, targets, {width, height, columns}) sizes the panels; the line colours are fixed", () => {
    const spec = trajectoryFigure(series, targets, { width: 200, height: 100, columns: 1 }) as { columns: number; spec: { width: number; height: number; layer: { encoding: { color?: { scale: unknown } } }[] } };
    expect([spec.columns, spec.spec.width, spec.spec.height]).toEqual([1, 200, 100]);
    expect(spec.spec.layer[1].encoding.color!.scale).toEqual({ domain: ["Actual", "Trajectory to target", "Baseline", "Projected"], range: ["#1f5fa8", "#b5523b", "#999999", "#555555"] });
  });

  it("toSvg(trajectoryFigure(...)) renders a panel per target in the lines' colours", async () => {
    const svg = await toSvg(trajectoryFigure(series, targets));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain(">Burglary</text>");
    expect(svg).toContain(">Violence</text>");
    for (const c of TRAJECTORY_LINES.colours.slice(0, 3)) expect(svg).toContain(`stroke="${c}"`);
  });

  it("trajectoryFigure([], []) gives a spec with no data", () => {
    expect((trajectoryFigure([], []) as { data: { values: unknown[] } }).data.values).toEqual([]);
  });
});
