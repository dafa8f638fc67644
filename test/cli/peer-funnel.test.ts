import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { seededRandom, type PeerOverdispersion } from "@community-safety/core";
import { placeLabels, overlaps, peerFunnelFigure, type PeerFunnelRow } from "@community-safety/cli";
import { fixturePath } from "../helpers/data.js";

/** The Leicestershire districts of test/fixtures/funnel/overdispersion.json (R). */
function leicestershire(): { rows: PeerFunnelRow[]; groupRate: number; od: PeerOverdispersion } {
  const c = (JSON.parse(readFileSync(fixturePath("funnel", "overdispersion.json"), "utf8")) as { cases: Record<string, never>[] }).cases[4] as unknown as {
    groupRate: number;
    phi: number;
    statistic: number;
    df: number;
    pValue: number;
    tau2: number;
    areas: { area: string; count: number; population: number; limits: { position: string }[]; poissonPositions: string[] }[];
  };
  const rows = c.areas.map((a) => ({ area: a.area, population: a.population, rate: (a.count / a.population) * 1000, position: a.limits[1].position, poissonPosition: a.poissonPositions[1] }));
  const od: PeerOverdispersion = {
    method: "random-effects",
    phi: c.phi,
    statistic: c.statistic,
    df: c.df,
    pValue: c.pValue,
    overdispersed: true,
    randomEffects: true,
    minAreas: 5,
    tau2: c.tau2,
    tau: Math.sqrt(c.tau2),
    winsorise: 0.1,
    poissonAbove: [],
    poissonBelow: [],
    sentence: "",
  };
  return { rows, groupRate: c.groupRate, od };
}

describe("placeLabels", () => {
  it("placeLabels(points, {width, height}) keeps labels apart, off every point and inside the plot (seeded crowded points)", () => {
    const rng = seededRandom(11);
    for (let trial = 0; trial < 20; ++trial) {
      const points = Array.from({ length: 25 }, (_, i) => ({ x: rng.uniform() * 300, y: rng.uniform() * 200, text: `Area ${"x".repeat(i % 9)}${i}`, priority: i % 3 }));
      const labels = placeLabels(points, { width: 300, height: 200 });
      for (const [k, a] of labels.entries()) {
        expect(a.box.x0 >= 0 && a.box.y0 >= 0 && a.box.x1 <= 300 && a.box.y1 <= 200).toBe(true);
        for (const b of labels.slice(k + 1)) expect(overlaps(a.box, b.box), `${a.text} / ${b.text}`).toBe(false);
        for (const p of points) expect(overlaps(a.box, { x0: p.x - 5, y0: p.y - 5, x1: p.x + 5, y1: p.y + 5 }), `${a.text} on ${p.text}`).toBe(false);
      }
      // Crowded: some are left off, but most are placed, the first priority before the rest.
      expect(labels.length).toBeGreaterThan(10);
    }
  });

  it("moves a label to the left when its right is taken by a neighbour's point", () => {
    const labels = placeLabels([{ x: 50, y: 50, text: "Melton" }, { x: 60, y: 50, text: "Rutland" }], { width: 300, height: 100 });
    expect(labels.map((l) => [l.text, l.align, l.baseline])).toEqual([["Melton", "right", "middle"], ["Rutland", "left", "middle"]]);
  });
});

describe("peerFunnelFigure", () => {
  it("draws the Leicestershire funnel with random-effects and faint Poisson limits, every district named without overlaps, and says why in words", async () => {
    const { rows, groupRate, od } = leicestershire();
    const f = await peerFunnelFigure({ groupRate, per: 1000, overdispersion: od, rows, areaName: "Charnwood", period: "2021/22" });
    expect(f.unlabelled).toEqual([]);
    expect(f.labels.map((l) => l.text).sort()).toEqual(rows.map((r) => r.area).sort());
    for (const [k, a] of f.labels.entries()) for (const b of f.labels.slice(k + 1)) expect(overlaps(a.box, b.box), `${a.text} / ${b.text}`).toBe(false);
    // The drawn names sit where they were placed: each text mark's anchor is the placed one.
    const drawn = [...f.svg.matchAll(/aria-roledescription="text mark" text-anchor="(\w+)" transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*>([^<]+)<\/text>/g)].map((m) => ({ anchor: m[1], x: Number(m[2]), y: Number(m[3]), text: m[4] }));
    expect(drawn.map((d) => d.text).sort()).toEqual(f.labels.map((l) => l.text).sort());
    for (const l of f.labels) {
      const d = drawn.find((t) => t.text === l.text)!;
      expect(d.anchor).toBe(l.align === "left" ? "start" : l.align === "right" ? "end" : "middle");
      const x = l.align === "left" ? l.box.x0 : l.align === "right" ? l.box.x1 : (l.box.x0 + l.box.x1) / 2;
      expect(Math.abs(d.x - x), l.text).toBeLessThan(0.01);
    }
    // Random-effects lines (grey) and the Poisson ones (faint) are both drawn.
    expect(f.svg).toContain('stroke="#666"');
    expect(f.svg).toContain('stroke="#cfcfcf"');
    expect(f.caption).toContain("the grey funnel allows for the usual variation between districts as well as for chance (dashed lines 95%, solid lines 99.8%)");
    expect(f.caption).toContain("The faint lines are the limits for chance alone; 6 of the 8 districts lie outside those simply because districts differ.");
    expect(f.note).toMatch(/^Method: Spiegelhalter \(2005\) additive random-effects funnel limits\. .*φ = 108\.2 \(I·φ = 865\.3 against I − 1 = 7, p &lt; 0\.001; .*τ² = 0\.00523 \(τ = 0\.072\)/);
  });

  it("without over-dispersion draws only the Poisson limits and says no allowance was needed", async () => {
    const { rows, groupRate, od } = leicestershire();
    const f = await peerFunnelFigure({ groupRate, per: 1000, overdispersion: { ...od, overdispersed: false, randomEffects: false, tau2: 0, tau: 0 }, rows, areaName: "Charnwood", period: "2021/22" });
    expect(f.svg).not.toContain('stroke="#cfcfcf"');
    expect(f.caption).toContain("by chance alone (dashed lines 95%, solid lines 99.8%); the districts vary no more than chance gives");
    expect(f.note).toMatch(/^Method: exact Poisson control limits/);
  });
});
