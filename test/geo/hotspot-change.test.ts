import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { seededRandom } from "@community-safety/core";
import {
  hotspotChange,
  hotspotPersistence,
  hotspotPersistenceCategory,
} from "@community-safety/geo";
import { getisOrdGiStar } from "@community-safety/geo";
import { pAdjust } from "@community-safety/geo";
import { distanceBandNeighbours } from "@community-safety/geo";
import { fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";
import { centres, expectClose } from "../helpers/grid-reference.js";

// The transition table and the persistence windows are worked by hand below; the whole of
// hotspotChange and hotspotPersistence (Gi* per period, states, transitions, classes) is checked
// against an independent R reference, test/fixtures/geo/space-time-gistar.R →
// space-time-gistar.json (spdep::localG with include.self and binary weights per period, and
// the transition and persistence rules written in R). The persistence rules are sfhotspot 1.0's
// hotspot_classify (R/hotspot_classify.R) with its window arithmetic corrected.
const charnwood = JSON.parse(readFileSync(fixturePath("geo", "charnwood-violence-500m.json"), "utf8"));

interface PeriodReference { z: number[]; p: number[]; state: number[] }
interface ChangeReference { alpha: number; adjust: "none" | "BH"; before: PeriodReference; after: PeriodReference; transition: string[]; counts: Record<string, number> }
const spaceTime = JSON.parse(readFileSync(fixturePath("geo", "space-time-gistar.json"), "utf8")) as {
  change: { side: number; cell: number; band: number; before: number[]; after: number[]; "none_0.05": ChangeReference; "BH_0.05": ChangeReference };
  persistence: {
    side: number; cell: number; band: number; steps: number[][]; z: number[][]; p: number[][]; state: number[][];
    category: string[]; counts: Record<string, number>; planted: Record<string, number>;
  };
};
const nonzero = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([, v]) => v > 0));

describe("hotspotChange and hotspotPersistence against R (space-time-gistar.R: spdep localG per period)", () => {
  for (const variant of ["none_0.05", "BH_0.05"] as const) {
    it(`hotspotChange matches R's Gi* per period and transitions on a 16 × 16 grid where all nine occur (${variant})`, () => {
      const c = spaceTime.change;
      const ref = c[variant];
      const { x, y } = centres(c.side, c.cell);
      const r = hotspotChange(c.before, c.after, { x, y, distance: c.band }, { alpha: ref.alpha, adjust: ref.adjust });
      for (const k of ["before", "after"] as const) {
        expectClose(r[k].z, ref[k].z, `${k}.z`);
        expectClose(r[k].p, ref[k].p, `${k}.p`);
        expect(Array.from(r[k].state), k).toEqual(ref[k].state);
      }
      expect(r.transition).toEqual(ref.transition);
      expect(nonzero(r.counts)).toEqual(ref.counts);
      expect(Array.from(r.change)).toEqual(c.after.map((v, i) => v - c.before[i]));
    });
  }

  it("the R change reference has every transition (so each row of the table is exercised)", () => {
    expect(Object.keys(spaceTime.change["none_0.05"].counts).sort()).toEqual([
      "cold-to-hot", "former-cold-spot", "former-hot-spot", "hot-to-cold", "new-cold-spot", "new-hot-spot", "not-significant", "persistent-cold-spot", "persistent-hot-spot",
    ]);
  });

  it("hotspotPersistence matches R's Gi* per period, states and classes over 10 periods", () => {
    const c = spaceTime.persistence;
    const { x, y } = centres(c.side, c.cell);
    const r = hotspotPersistence(c.steps, { x, y, distance: c.band });
    expect([r.periods, r.recentPeriods, r.olderPeriods]).toEqual([10, 2, 8]);
    for (let t = 0; t < 10; ++t) {
      expectClose(r.z[t], c.z[t], `z[${t}]`);
      expectClose(r.p[t], c.p[t], `p[${t}]`);
    }
    const n = c.side * c.side;
    const per = (f: (s: number, t: number) => boolean) => Array.from({ length: n }, (_, i) => c.state.filter((st, t) => f(st[i], t)).length);
    expect(Array.from(r.hotPeriods)).toEqual(per((s) => s === 1));
    expect(Array.from(r.coldPeriods)).toEqual(per((s) => s === -1));
    expect(Array.from(r.recentHotPeriods)).toEqual(per((s, t) => s === 1 && t >= 8));
    expect(Array.from(r.recentColdPeriods)).toEqual(per((s, t) => s === -1 && t >= 8));
    expect(r.category).toEqual(c.category);
    expect(nonzero(r.counts)).toEqual(c.counts);
    // The planted cells the reference was built around (R's classes, not ours). The planted
    // emerging hot spot is also a chance cold spot in period 6 (z = −1.99), so R calls it mixed.
    const p = c.planted;
    expect([p.persistentHot, p.formerHot, p.intermittentHot, p.mixed, p.persistentCold, p.emergingCold, p.formerCold, p.emergingHot].map((i) => c.category[i])).toEqual([
      "persistent-hot-spot", "former-hot-spot", "intermittent-hot-spot", "mixed", "persistent-cold-spot", "emerging-cold-spot", "former-cold-spot", "mixed",
    ]);
    expect(c.state.map((st) => st[p.emergingHot])).toEqual([0, 0, 0, 0, 0, -1, 0, 0, 1, 1]);
    expect(r.category.filter((k) => k === "emerging-hot-spot").length).toBe(c.counts["emerging-hot-spot"]);
    expect(c.counts["emerging-hot-spot"]).toBeGreaterThan(0); // R's emerging hot spots: the block's other cells
  });
});

const B = (s: string) => [...s].map((c) => c === "H");
const C = (s: string) => [...s].map((c) => c === "C");
const persistence = (s: string, o = {}) => hotspotPersistenceCategory(B(s), C(s), o);

describe("hotspotPersistenceCategory", () => {
  it("splits T periods into the last floor(0.2 T) recent ones and the rest, without overlap", () => {
    const r = persistence("..........");
    expect([r.recentPeriods, r.olderPeriods]).toEqual([2, 8]);
    expect([persistence("...").recentPeriods, persistence("...").olderPeriods]).toEqual([1, 2]); // floor(0.6) → at least 1
    expect(persistence("..", { recentShare: 0.9 }).recentPeriods).toBe(1); // at most T − 1
    // 0.29 · 100 = 28.999999999999996 in floating point: still 29 recent periods
    expect(persistence(".".repeat(100), { recentShare: 0.29 }).recentPeriods).toBe(29);
    // period T − R (index 7 here) is older only: hot there alone is former, not emerging
    const f = persistence(".......H..");
    expect([f.olderHot, f.recentHot]).toEqual([1, 0]);
    expect(f.category).toBe("former-hot-spot");
  });

  it("classifies persistent, emerging, former and intermittent hot spots (first rule wins)", () => {
    expect(persistence("HHHHHHHH..").category).toBe("persistent-hot-spot"); // 8/10 ≥ 0.8
    expect(persistence("........H.").category).toBe("emerging-hot-spot"); // older 0/8, recent 1/2
    expect(persistence("........HH").category).toBe("emerging-hot-spot");
    expect(persistence("H.........").category).toBe("former-hot-spot"); // older 1/8 ≥ 0.1, recent 0
    expect(persistence("H.......H.").category).toBe("intermittent-hot-spot"); // hot in both windows
    expect(persistence("..........").category).toBe("no-pattern");
    // with 20 periods one hot older period is 1/16 < 0.1: not a hot spot of any kind…
    expect(persistence("H...................").category).toBe("no-pattern");
    // …and two are (2/16 ≥ 0.1)
    expect(persistence("H.H.................").category).toBe("former-hot-spot");
  });

  it("mirrors the rules for cold spots and calls a cell with both `mixed`", () => {
    expect(persistence("CCCCCCCCCC").category).toBe("persistent-cold-spot");
    expect(persistence("........C.").category).toBe("emerging-cold-spot");
    expect(persistence("C.........").category).toBe("former-cold-spot");
    expect(persistence("H.......C.").category).toBe("mixed");
  });

  it("throws InputError with a code for bad input", () => {
    expect(thrownInputError(() => hotspotPersistenceCategory([true], [false])).code).toBe("invalid-input");
    expect(thrownInputError(() => hotspotPersistenceCategory([true, false], [false])).code).toBe("length-mismatch");
    expect(thrownInputError(() => hotspotPersistenceCategory([true, false], [false, false], { recentShare: 1 })).message).toBe(
      "hotspotPersistenceCategory: recentShare must be a number in (0, 1), got 1",
    );
  });
});

/** Centres and counts of the Charnwood 500 m grid (oracle fixture). */
function grid() {
  const x = new Float64Array(charnwood.nx * charnwood.ny);
  const y = new Float64Array(charnwood.nx * charnwood.ny);
  for (let r = 0; r < charnwood.ny; ++r) for (let c = 0; c < charnwood.nx; ++c) {
    x[r * charnwood.nx + c] = charnwood.x0 + (c + 0.5) * charnwood.cell;
    y[r * charnwood.nx + c] = charnwood.y0 + (r + 0.5) * charnwood.cell;
  }
  return { x, y, count: Float64Array.from(charnwood.count as number[]) };
}

describe("hotspotChange", () => {
  const { x, y, count } = grid();
  const nb = distanceBandNeighbours(x, y, 750);

  it("classifies each cell by its Gi* state before and after (the transition table)", () => {
    // after: the same map with one quiet rural cell made very busy, and the hottest cell emptied
    const after = Float64Array.from(count);
    let hottest = 0;
    for (let i = 1; i < count.length; ++i) if (count[i] > count[hottest]) hottest = i;
    const quiet = 3 * charnwood.nx + 3;
    expect(count[quiet]).toBe(0);
    after[quiet] = count[hottest];
    after[hottest] = 0;
    const r = hotspotChange(count, after, nb);
    const gb = getisOrdGiStar(count, nb);
    const ga = getisOrdGiStar(after, nb);
    const state = (g: typeof gb, i: number) => (g.p[i] < 0.05 ? Math.sign(g.z[i]) : 0);
    const table: Record<string, string> = {
      "1,1": "persistent-hot-spot", "1,0": "former-hot-spot", "1,-1": "hot-to-cold",
      "0,1": "new-hot-spot", "0,0": "not-significant", "0,-1": "new-cold-spot",
      "-1,1": "cold-to-hot", "-1,0": "former-cold-spot", "-1,-1": "persistent-cold-spot",
    };
    for (let i = 0; i < count.length; ++i) {
      expect(r.transition[i]).toBe(table[`${state(gb, i)},${state(ga, i)}`]);
      expect(r.change[i]).toBe(after[i] - count[i]);
    }
    expect(r.transition[quiet]).toBe("new-hot-spot");
    // the emptied cell's neighbours stay busy, so it remains within a hot area: not a new cold spot
    expect(r.transition[hottest]).not.toBe("new-cold-spot");
    expect(r.counts["new-hot-spot"]).toBeGreaterThanOrEqual(1);
    let total = 0;
    for (const v of Object.values(r.counts)) total += v;
    expect(total).toBe(count.length);
  });

  it("applies the adjustment within each period before comparing with alpha", () => {
    const rng = seededRandom(2);
    const after = count.map((v) => v + rng.poisson(1));
    const r = hotspotChange(count, after, nb, { adjust: "BH", alpha: 0.01 });
    expect(Array.from(r.before.p)).toEqual(Array.from(pAdjust(getisOrdGiStar(count, nb).p, "BH")));
    for (let i = 0; i < count.length; ++i) {
      const sig = r.after.p[i] < 0.01;
      expect(r.after.state[i]).toBe(sig ? Math.sign(r.after.z[i]) : 0);
    }
  });

  it("identical periods are all persistent or not significant; inputs are not changed", () => {
    const copy = Array.from(count);
    const r = hotspotChange(count, count, nb);
    for (const t of r.transition) expect(["persistent-hot-spot", "persistent-cold-spot", "not-significant"]).toContain(t);
    expect(Array.from(count)).toEqual(copy);
  });

  it("throws InputError with a code for bad input", () => {
    expect(thrownInputError(() => hotspotChange([1, 2], [1], nb)).code).toBe("length-mismatch");
    expect(thrownInputError(() => hotspotChange(count, count, nb, { alpha: 2 })).code).toBe("invalid-option");
  });
});

describe("hotspotPersistence", () => {
  const { x, y, count } = grid();

  it("classifies a planted emerging, former and persistent hot spot over 10 periods", () => {
    // 10 noisy copies of the Charnwood map; a quiet cell busy in the last 2 periods only, another
    // busy in the first 3 only; the real town centre is hot throughout
    const rng = seededRandom(9);
    const emerging = 5 * charnwood.nx + 5;
    const former = 30 * charnwood.nx + 8;
    expect([count[emerging], count[former]]).toEqual([0, 0]);
    const periods = Array.from({ length: 10 }, (_, t) => {
      const v = count.map((c) => rng.poisson(c / 10 + 0.05));
      if (t >= 8) v[emerging] += 60;
      if (t < 3) v[former] += 60;
      return v;
    });
    const r = hotspotPersistence(periods, { x, y, distance: 750 });
    expect([r.periods, r.recentPeriods, r.olderPeriods]).toEqual([10, 2, 8]);
    expect(r.category[emerging]).toBe("emerging-hot-spot");
    expect(r.recentHotPeriods[emerging]).toBe(2);
    expect(r.category[former]).toBe("former-hot-spot");
    let hottest = 0;
    for (let i = 1; i < count.length; ++i) if (count[i] > count[hottest]) hottest = i;
    expect(r.category[hottest]).toBe("persistent-hot-spot");
    // per-cell counts agree with hotspotPersistenceCategory on the same states
    const hot = r.z.map((z, t) => z[emerging] > 0 && r.p[t][emerging] < 0.05);
    const cold = r.z.map((z, t) => z[emerging] < 0 && r.p[t][emerging] < 0.05);
    expect(hotspotPersistenceCategory(hot, cold).category).toBe("emerging-hot-spot");
  });

  it("throws InputError with a code for bad input", () => {
    expect(thrownInputError(() => hotspotPersistence([count], { x, y, distance: 750 })).message).toBe(
      "hotspotPersistence: valuesByPeriod must be at least 2 periods, got 1",
    );
    expect(thrownInputError(() => hotspotPersistence([count, count], { x, y, distance: 750 }, { persistentShare: 0 })).code).toBe("invalid-option");
  });
});
