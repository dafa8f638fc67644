import { describe, it, expect } from "vitest";
import { ragTableFigure, toSvg, RAG_COLOURS, type RagTableRow } from "@community-safety/figures";

const rows: RagTableRow[] = [
  { name: "Burglary", actual: 1310, expected: 1342.6, probabilityMet: 0.912, rag: "green" },
  { name: "Violence with injury", actual: 880, expected: 820.4, probabilityMet: 0.003, rag: "red" },
  { name: "Shoplifting", actual: 400, expected: 398, probabilityMet: 0.4, rag: "amber" },
  { name: "Arson", actual: null, expected: null, probabilityMet: null, rag: null },
];

describe("ragTableFigure", () => {
  it("ragTableFigure(rows) holds each measure's actual, expected, P(meet) and RAG as exact text", () => {
    const spec = ragTableFigure(rows);
    const cell = (measure: string, column: string) => spec.data.values.find((v) => v.measure === measure && v.column === column)!.text;
    expect(spec.data.values).toHaveLength(16);
    expect(spec.data.values[0]).toEqual({ measure: "Burglary", order: 0, column: "Actual to date", text: "1,310", rag: "green" });
    expect(["Actual to date", "Expected to date", "P(meet target)", "RAG"].map((c) => cell("Burglary", c))).toEqual(["1,310", "1,343", "91%", "GREEN"]);
    expect(["Actual to date", "Expected to date", "P(meet target)", "RAG"].map((c) => cell("Violence with injury", c))).toEqual(["880", "820", "< 1%", "RED"]);
    expect(cell("Shoplifting", "P(meet target)")).toBe("40%");
    // A withheld target (under --public) shows dashes and a grey cell.
    expect(["Actual to date", "Expected to date", "P(meet target)", "RAG"].map((c) => cell("Arson", c))).toEqual(["–", "–", "–", "WITHHELD"]);
  });

  it("ragTableFigure(rows) keeps the rows' order and colours the RAG cells green, amber, red and grey", () => {
    const spec = ragTableFigure(rows) as ReturnType<typeof ragTableFigure> & { height: number; layer: { mark: { type: string }; encoding: { y: { sort: string[] }; color: { scale?: unknown } } }[] };
    expect(spec.layer[0].mark.type).toBe("rect");
    expect(spec.layer[0].encoding.y.sort).toEqual(["Burglary", "Violence with injury", "Shoplifting", "Arson"]);
    expect(spec.layer[0].encoding.color.scale).toEqual({ domain: ["green", "amber", "red", "withheld"], range: ["#2e7d32", "#c77700", "#b3261e", "#bdbdbd"] });
    expect(spec.height).toBe(4 * 24);
  });

  it("toSvg(ragTableFigure(rows)) renders the cells in their colours and the values as text", async () => {
    const svg = await toSvg(ragTableFigure(rows, { title: "Targets" }));
    expect(svg.startsWith("<svg")).toBe(true);
    for (const c of Object.values(RAG_COLOURS)) expect(svg).toContain(`fill="${c}"`);
    for (const t of ["1,310", "1,343", "91%", "GREEN", "&lt; 1%", "WITHHELD", "Violence with injury"]) expect(svg).toContain(`>${t}</text>`);
  });

  it("ragTableFigure([]) gives a spec with no data", () => {
    expect(ragTableFigure([]).data.values).toEqual([]);
  });
});
