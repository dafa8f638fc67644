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

  it("places an `overPoints` label over other points (never over a placed label or its own point) where a plain one finds no room", () => {
    // A point boxed in by eight others 8 px away: every slot of a plain label covers one of them.
    const ring = [-8, 0, 8].flatMap((dx) => [-8, 0, 8].filter((dy) => dx !== 0 || dy !== 0).map((dy) => ({ x: 100 + dx, y: 50 + dy, text: "" })));
    expect(placeLabels([{ x: 100, y: 50, text: "Adur" }, ...ring], { width: 300, height: 100 }).filter((l) => l.text === "Adur")).toEqual([]);
    const labels = placeLabels([{ x: 100, y: 50, text: "Adur", overPoints: true, priority: 0 }, { x: 160, y: 50, text: "Worthing", priority: 1 }, ...ring.map((p) => ({ ...p, priority: 2 }))], { width: 300, height: 100 });
    const adur = labels.find((l) => l.text === "Adur")!;
    expect([adur.align, adur.baseline]).toEqual(["left", "middle"]);
    expect(overlaps(adur.box, { x0: 95, y0: 45, x1: 105, y1: 55 })).toBe(false);
    expect(overlaps(adur.box, { x0: 103, y0: 45, x1: 113, y1: 55 })).toBe(true); // over the neighbour at (108, 50)
    for (const l of labels) if (l !== adur) expect(overlaps(adur.box, l.box), l.text).toBe(false);
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

  it("among 300 districts rings and names the assessed area, and counts the unnamed dots instead of listing them", async () => {
    // 300 districts of 50–150k residents at rates scattered ±10% around 60 per 1,000 (seeded): a dense cloud.
    const rng = seededRandom(3);
    const rows: PeerFunnelRow[] = Array.from({ length: 300 }, (_, i) => ({ area: `District ${i + 1}`, population: 50_000 + Math.round(rng.uniform() * 100_000), rate: 60 * (0.9 + 0.2 * rng.uniform()), position: "within", poissonPosition: "within" }));
    const { od } = leicestershire();
    const areaName = "District 150";
    const f = await peerFunnelFigure({ groupRate: 60, per: 1000, overdispersion: od, rows, areaName, period: "2021/22" });
    expect(f.labels.map((l) => l.text)).toContain(areaName);
    expect(f.unlabelled).not.toContain(areaName);
    expect(f.unlabelled.length).toBeGreaterThan(20);
    for (const [k, a] of f.labels.entries()) for (const b of f.labels.slice(k + 1)) expect(overlaps(a.box, b.box), `${a.text} / ${b.text}`).toBe(false);
    // Its name is drawn in bold on a white halo, and one ring (an unfilled point mark) is drawn.
    expect(f.svg).toMatch(new RegExp(`<text[^>]*font-weight="bold"[^>]*stroke="#fff"[^>]*>${areaName}</text>`));
    expect(f.svg.match(/stroke="#111"/g)?.length).toBe(1);
    expect(f.caption).toContain(`${areaName} is ringed.`);
    expect(f.caption).toContain(`${f.unlabelled.length} of the 300 dots are unnamed for want of room; every district is in peer-funnel.csv.`);
    expect(f.caption).not.toContain("District 1,");
  });

  it("without over-dispersion draws only the Poisson limits and says no allowance was needed", async () => {
    const { rows, groupRate, od } = leicestershire();
    const f = await peerFunnelFigure({ groupRate, per: 1000, overdispersion: { ...od, overdispersed: false, randomEffects: false, tau2: 0, tau: 0 }, rows, areaName: "Charnwood", period: "2021/22" });
    expect(f.svg).not.toContain('stroke="#cfcfcf"');
    expect(f.caption).toContain("by chance alone (dashed lines 95%, solid lines 99.8%); the districts vary no more than chance gives");
    expect(f.note).toMatch(/^Method: exact Poisson control limits/);
  });
});
