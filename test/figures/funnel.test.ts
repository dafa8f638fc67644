import { describe, it, expect } from "vitest";
import type { PeerOverdispersion } from "@community-safety/core";
import { funnelFigure, funnelLabels, funnelPlot, overlaps, toSvg, FUNNEL_COLOURS, type FunnelPeers } from "@community-safety/figures";

type Layer = { data: { values: Record<string, unknown>[] }; mark: { type: string; color?: string }; encoding: Record<string, { scale?: { domain: unknown[]; range?: unknown[] } }> };

const od = (randomEffects: boolean, tau2 = 0): PeerOverdispersion => ({
  method: "random-effects", phi: randomEffects ? 4 : 1, statistic: null, df: 4, pValue: null, overdispersed: randomEffects, randomEffects, minAreas: 5,
  tau2, tau: Math.sqrt(tau2), winsorise: 0.1, poissonAbove: [], poissonBelow: [], sentence: "",
});

/** Five districts, one withheld (rate null, as under --public). */
const peers = (randomEffects = false): FunnelPeers => ({
  groupRate: 50,
  per: 1000,
  overdispersion: od(randomEffects, randomEffects ? 0.01 : 0),
  rows: [
    { area: "Ashby", population: 100_000, rate: 62, position: "above" },
    { area: "Blaby", population: 80_000, rate: 49, position: "within" },
    { area: "Coalville", population: 150_000, rate: 51.5, position: "within" },
    { area: "Dunton", population: 40_000, rate: 30, position: "below" },
    { area: "Evington", population: 60_000, rate: null, position: null },
  ],
});

describe("funnelFigure", () => {
  it("funnelFigure(peers, options) holds each drawn area's exact values, the group rate and explicit scales", () => {
    const spec = funnelFigure(peers(), { area: "Blaby", period: "2021/22" });
    expect(spec.title).toBe("Funnel plot: recorded crime per 1,000 residents, 2021/22");
    expect([spec.width, spec.height]).toEqual([520, 300]);
    const layers = spec.layer as Layer[];
    const dots = layers.find((l) => l.mark.type === "point")!;
    // The withheld district is not drawn.
    expect(dots.data.values).toEqual([
      { district: "Ashby", population: 100_000, rate: 62, position: "above" },
      { district: "Blaby", population: 80_000, rate: 49, position: "within" },
      { district: "Coalville", population: 150_000, rate: 51.5, position: "within" },
      { district: "Dunton", population: 40_000, rate: 30, position: "below" },
    ]);
    expect(dots.encoding.color.scale).toEqual({ domain: ["above", "within", "below"], range: ["#b5523b", "#1f5fa8", "#3a9d5d"] });
    const rule = layers.find((l) => l.mark.type === "rule")!;
    expect(rule.data.values).toEqual([{ rate: 50 }]);
    expect(rule.mark.color).toBe(FUNNEL_COLOURS.above);
    // x from half the smallest population (the withheld one counts) to 1.15 × the largest.
    expect(dots.encoding.x.scale!.domain).toEqual([20_000, 172_500]);
    // Plain Poisson limits only: no faint layer.
    expect(layers.filter((l) => l.mark.type === "line").map((l) => l.mark.color)).toEqual(["#666"]);
  });

  it("funnelFigure(peers) draws random-effects limits E(1 ± z√(1/(4E) + τ²))² and, fainter and narrower, the Poisson limits", () => {
    const spec = funnelFigure(peers(true));
    expect(spec.title).toBe("Funnel plot: recorded crime per 1,000 residents");
    const lines = (spec.layer as Layer[]).filter((l) => l.mark.type === "line");
    expect(lines.map((l) => l.mark.color)).toEqual(["#cfcfcf", "#666"]);
    const [faint, drawn] = lines.map((l) => l.data.values as { population: number; rate: number; limit: string; level: string }[]);
    expect(drawn).toHaveLength(60 * 4);
    expect(drawn[0].population).toBeCloseTo(20_000, 6);
    expect(drawn.at(-1)!.population).toBeCloseTo(172_500, 6);
    // The Spiegelhalter (2005) additive random-effects limits, worked by hand at each population.
    for (const d of drawn) {
      const E = (50 * d.population) / 1000;
      const z = d.level === "95%" ? 1.959963984540054 : 3.090232306167813;
      const sign = d.limit.endsWith("upper") ? 1 : -1;
      const count = E * (1 + sign * z * Math.sqrt(1 / (4 * E) + 0.01)) ** 2;
      expect(d.rate).toBeCloseTo((count / d.population) * 1000, 6);
    }
    // Chance alone gives narrower limits than chance plus the usual variation between districts.
    for (const f of faint) {
      const d = drawn.find((x) => x.population === f.population && x.limit === f.limit.replace("poisson", "drawn"))!;
      expect(Math.abs(f.rate - 50)).toBeLessThan(Math.abs(d.rate - 50));
    }
  });

  it("funnelLabels(peers, options) names every drawn dot without overlaps, and the spec's text marks sit where placed", () => {
    const { labels, unlabelled } = funnelLabels(peers(), { area: "Blaby" });
    expect(unlabelled).toEqual([]);
    expect(labels.map((l) => l.text)).toEqual(["Ashby", "Blaby", "Coalville", "Dunton"]);
    for (const [k, a] of labels.entries()) for (const b of labels.slice(k + 1)) expect(overlaps(a.box, b.box)).toBe(false);
    const texts = (funnelFigure(peers(), { area: "Blaby" }).layer as Layer[]).filter((l) => l.mark.type === "text").flatMap((l) => l.data.values.map((v) => v.district));
    expect(texts.sort()).toEqual(["Ashby", "Blaby", "Coalville", "Dunton"]);
  });

  it("toSvg(funnelFigure(peers)) renders the dots in their colours and the limits", async () => {
    const svg = await toSvg(funnelFigure(peers(true), { area: "Blaby", period: "2021/22" }));
    expect(svg.startsWith("<svg")).toBe(true);
    for (const c of Object.values(FUNNEL_COLOURS)) expect(svg).toContain(`fill="${c}"`);
    expect(svg).toContain('stroke="#666"');
    expect(svg).toContain('stroke="#cfcfcf"');
    expect(svg).toContain(">Coalville</text>");
  });

  it("funnelFigure(peers) does not mutate its input", () => {
    const p = peers(true);
    const before = JSON.stringify(p);
    funnelFigure(p, { area: "Ashby" });
    expect(JSON.stringify(p)).toBe(before);
  });

  it("funnelFigure throws invalid-option without a positive group rate, without rows, or with a bad size", () => {
    expect(() => funnelFigure({ ...peers(), groupRate: null })).toThrow(expect.objectContaining({ code: "invalid-option", message: "funnelFigure: groupRate must be a positive number, got null" }));
    expect(() => funnelFigure({ ...peers(), rows: [] })).toThrow(expect.objectContaining({ code: "invalid-option" }));
    expect(() => funnelFigure(peers(), { width: 0 })).toThrow(expect.objectContaining({ code: "invalid-option" }));
  });

  it("funnelPlot(peers, options) is funnelFigure's spec and funnelLabels' names from one layout", () => {
    for (const re of [false, true]) {
      const options = { area: "Blaby", period: "2021/22" };
      const { spec, labels, unlabelled } = funnelPlot(peers(re), options);
      expect(spec).toEqual(funnelFigure(peers(re), options));
      expect({ labels, unlabelled }).toEqual(funnelLabels(peers(re), options));
      expect(labels.length).toBeGreaterThan(0);
    }
  });
});
