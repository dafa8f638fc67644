import { describe, it, expect } from "vitest";
import { changeFigure, toSvg, CHANGE_COLOURS } from "@community-safety/figures";

const rows = [
  { label: "Burglary", change: -120, significant: true },
  { label: "Shoplifting", change: 35, significant: false },
  { label: "Violence and sexual offences", change: 410, significant: true },
];

describe("changeFigure", () => {
  it("changeFigure(rows, {title}) holds each row's label and exact change, marked more than chance or within chance", () => {
    const spec = changeFigure(rows, { title: "Change from 2020/21 to 2021/22" });
    expect(spec.title).toBe("Change from 2020/21 to 2021/22");
    expect(spec.width).toBe(480);
    expect(spec.data.values).toEqual([
      { category: "Burglary", change: -120, real: "more than chance" },
      { category: "Shoplifting", change: 35, real: "within chance" },
      { category: "Violence and sexual offences", change: 410, real: "more than chance" },
    ]);
    expect((spec.encoding as { color: { scale: unknown } }).color.scale).toEqual({ domain: ["more than chance", "within chance"], range: ["#b5523b", "#9e9e9e"] });
  });

  it("toSvg(changeFigure(rows)) renders a bar per row in its colour", async () => {
    const svg = await toSvg(changeFigure(rows));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(3);
    expect(svg.split(`fill="${CHANGE_COLOURS["more than chance"]}"`).length - 1).toBeGreaterThanOrEqual(2);
    expect(svg).toContain(`fill="${CHANGE_COLOURS["within chance"]}"`);
    expect(svg).toContain(">Shoplifting</text>");
  });

  it("changeFigure(rows) does not mutate its input; no rows gives no data", () => {
    const before = JSON.stringify(rows);
    changeFigure(rows);
    expect(JSON.stringify(rows)).toBe(before);
    expect(changeFigure([]).data.values).toEqual([]);
  });
});
