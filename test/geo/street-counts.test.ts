/**
 * streetCounts: the synthetic borough's planted burglary streets and duplicate street names,
 * hand-built tables for the linkage rule, and Charnwood police.uk data against an independent
 * R implementation (test/fixtures/geo/street-counts.R → street-counts.json).
 */
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { IncidentTableBuilder, dictValue, lsoaNamePrefixTest, projector, selectRows, syntheticBorough, type IncidentTable } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import {
  POLICE_UK_PLACE_NAMES,
  streetCounts,
  streetCountsGeoJson,
  topShareSentence,
  type StreetCountRow,
} from "@community-safety/geo";
import { dataPath, fixturePath } from "../helpers/data.js";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

const bng = projector("EPSG:27700");

/** A table of [name, x, y, category] rows in British National Grid metres. */
function tableOf(rows: [string | null, number, number, string?, string?][]): IncidentTable {
  const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
  for (const [name, x, y, category = "burglary", lsoa] of rows) {
    const i = b.addRow();
    b.x[i] = x;
    b.y[i] = y;
    if (Number.isFinite(x)) [b.lon[i], b.lat[i]] = bng.inverse(x, y);
    b.dict.location.set(i, name);
    b.dict.category.set(i, category);
    b.dict.lsoa.set(i, lsoa ?? null);
  }
  return b.finish();
}

describe("streetCounts on the synthetic borough", () => {
  const sb = syntheticBorough({ seed: 1 });
  const { table, truths } = sb;
  const townOfLsoa = new Map(sb.population.map((a) => [a.area, a.town]));

  it("streetCounts(table, { categories: ['burglary'] }) ranks the 4 planted hotspot streets first", () => {
    const r = streetCounts(table, { categories: ["burglary"] });
    const top4 = r.rows.slice(0, 4).map((row) => `${row.name}|${row.lsoa}`).sort();
    expect(top4).toEqual(truths.burglaryTopStreets.map((s) => `${s.name}|${s.lsoa}`).sort());
    // Planted: 2% of burglary each (SYNTHETIC_BOROUGH.md). 3-SD binomial band at n = located burglaries.
    const n = r.groups[0].incidents;
    const each = truths.burglaryTopStreetsShare / 4;
    for (const row of r.rows.slice(0, 4)) expect(Math.abs(row.share - each)).toBeLessThan(3 * Math.sqrt((each * (1 - each)) / n));
    const four = r.rows[3].cumulativeShare;
    expect(Math.abs(four - truths.burglaryTopStreetsShare)).toBeLessThan(3 * Math.sqrt((0.08 * 0.92) / n));
    // The 5th street is an ordinary one, far below the planted ones.
    expect(r.rows[4].count).toBeLessThan(r.rows[3].count / 2);
    // Each planted street's centroid lies near its midpoint (incidents are uniform along the street, ±12 m).
    for (const s of truths.burglaryTopStreets) {
      const row = r.rows.find((x) => x.name === s.name && x.lsoa === s.lsoa)!;
      expect(Math.hypot(row.x - s.x, row.y - s.y)).toBeLessThan(40);
    }
  });

  it("streetCounts counts match a direct count of the table by name + LSOA", () => {
    const r = streetCounts(table, { categories: ["burglary"], top: 10 });
    for (const row of r.rows) {
      let direct = 0;
      for (let i = 0; i < table.length; ++i) {
        if (dictValue(table.category, i) === "burglary" && dictValue(table.location, i) === row.name && dictValue(table.lsoa, i) === row.lsoa) ++direct;
      }
      expect(row.count).toBe(direct);
    }
    let burglaries = 0;
    for (let i = 0; i < table.length; ++i) if (dictValue(table.category, i) === "burglary") ++burglaries;
    expect(r.groups[0].incidents + r.unlocated).toBe(burglaries);
  });

  it("streetCounts keeps same-named streets of different settlements apart (truths.duplicateStreetNames)", () => {
    const r = streetCounts(table);
    expect(truths.duplicateStreetNames.length).toBeGreaterThan(10);
    for (const d of truths.duplicateStreetNames) {
      const rows = r.rows.filter((x) => x.name === d.name);
      expect(rows.map((x) => townOfLsoa.get(x.lsoa!)).sort()).toEqual([...d.towns].sort());
    }
    const high = r.rows.filter((x) => x.name === "High Street");
    expect(high).toHaveLength(3); // Wreford, Callowmere and Brindlecote
    expect(new Set(high.map((x) => x.locality)).size).toBe(3);
  });

  it("streetCounts with locality 'district' merges Main Street of two villages in one district; 'none' merges all", () => {
    // SYNTHETIC_BOROUGH.md: Main Street is in Thistleby and Hollinsby (both Wreford district) and Marrowby (Callowmere).
    const district = streetCounts(table, { locality: "district" }).rows.filter((x) => x.name === "Main Street");
    expect(district.map((x) => x.locality).sort()).toEqual(["Callowmere", "Wreford"]);
    const none = streetCounts(table, { locality: "none" }).rows.filter((x) => x.name === "Main Street");
    expect(none).toHaveLength(1);
    expect(none[0].locality).toBeNull();
    const cluster = streetCounts(table).rows.filter((x) => x.name === "Main Street");
    expect(cluster).toHaveLength(3);
    expect(none[0].count).toBe(cluster.reduce((s, x) => s + x.count, 0));
    // Ward localities are labelled with the ward's name (table.areaNames), not its E05… code.
    const ward = streetCounts(table, { locality: "ward" }).rows.filter((x) => x.name === "High Street");
    expect(ward).toHaveLength(3);
    for (const w of ward) expect(w.locality).toMatch(/^(Wreford|Callowmere|Brindlecote)\b/);
  });

  it("streetCounts with locality 'lsoa' finds the same burglary top 4 (each synthetic street lies in one cell)", () => {
    const a = streetCounts(table, { categories: ["burglary"], top: 4 });
    const b = streetCounts(table, { categories: ["burglary"], top: 4, locality: "lsoa" });
    expect(b.rows.map((x) => [x.name, x.lsoa, x.count])).toEqual(a.rows.map((x) => [x.name, x.lsoa, x.count]));
    expect(b.rows[0].locality).toMatch(/^(Wreford|Callowmere) \d{3}[A-Z]$/); // the LSOA name
    expect(a.rows[0].locality).toMatch(/^(Wreford|Callowmere) \d{3}$/); // its MSOA-like prefix
  });

  it("streetCounts by category ranks within each category with cumulative shares reaching 1", () => {
    const r = streetCounts(table, { by: "category", categories: ["burglary", "shoplifting", "violent-crime"] });
    expect(r.groups.map((g) => g.category)).toEqual(["burglary", "shoplifting", "violent-crime"]);
    for (const g of r.groups) {
      const rows = r.rows.filter((x) => x.category === g.category);
      expect(rows.map((x) => x.rank)).toEqual(rows.map((_, k) => k + 1));
      expect(rows.reduce((s, x) => s + x.count, 0)).toBe(g.incidents);
      expect(rows.at(-1)!.cumulativeShare).toBeCloseTo(1, 12);
      for (let k = 1; k < rows.length; ++k) expect(rows[k].count).toBeLessThanOrEqual(rows[k - 1].count);
    }
    const burglary = streetCounts(table, { categories: ["burglary"] });
    expect(r.rows.filter((x) => x.category === "burglary").map((x) => x.count)).toEqual(burglary.rows.map((x) => x.count));
  });

  it("topShareSentence reads the top rows' share", () => {
    const r = streetCounts(table, { categories: ["burglary"], top: 10 });
    // Independent: the planted streets' burglaries counted straight from the table.
    let planted = 0;
    const keys = new Set(truths.burglaryTopStreets.map((s) => `${s.name}|${s.lsoa}`));
    for (let i = 0; i < table.length; ++i) {
      if (dictValue(table.category, i) === "burglary" && keys.has(`${dictValue(table.location, i)}|${dictValue(table.lsoa, i)}`)) ++planted;
    }
    expect(topShareSentence(r, 4)).toBe(`the top 4 streets hold ${((100 * planted) / r.groups[0].incidents).toFixed(1)}% of burglary`);
    expect(topShareSentence(r, 1)).toMatch(/^the top street holds \d+\.\d% of burglary$/);
    const byCat = streetCounts(table, { by: "category", categories: ["burglary", "violent-crime"], top: 3 });
    expect(topShareSentence(byCat, 3, { category: "violent-crime" })).toMatch(/^the top 3 streets hold \d+\.\d% of violence and sexual offences$/);
    expect(topShareSentence(streetCounts(table, { categories: ["burglary", "robbery"], top: 2 }), 2)).toMatch(/% of incidents$/);
  });

  it("streetCountsGeoJson gives WGS84 points at the centroids with the rows as properties", () => {
    const r = streetCounts(table, { categories: ["burglary"], top: 5 });
    const fc = streetCountsGeoJson(r);
    expect(fc.type).toBe("FeatureCollection");
    expect(fc.features).toHaveLength(5);
    for (const [k, f] of fc.features.entries()) {
      expect(f.geometry.type).toBe("Point");
      expect(f.properties).toEqual(r.rows[k]);
      const [x, y] = bng.forward(f.geometry.coordinates[0], f.geometry.coordinates[1]);
      expect(Math.hypot(x - r.rows[k].x, y - r.rows[k].y)).toBeLessThan(0.01);
      // The synthetic borough lies in the East Midlands (about -1.3°, 52.7°).
      expect(f.geometry.coordinates[0]).toBeGreaterThan(-1.6);
      expect(f.geometry.coordinates[0]).toBeLessThan(-0.9);
      expect(f.geometry.coordinates[1]).toBeGreaterThan(52.5);
      expect(f.geometry.coordinates[1]).toBeLessThan(53);
    }
    expect(JSON.parse(JSON.stringify(fc))).toEqual(fc);
  });
});

describe("streetCounts on hand-built tables", () => {
  it("streetCounts links a name's points by single linkage at linkDistance (inclusive)", () => {
    const t = tableOf([
      ["High Street", 450000, 318000],
      ["High Street", 451000, 318000], // 1000 m from the first
      ["High Street", 452600, 318000], // 1600 m from the second
      ["High Street", 452600, 318000],
    ]);
    const at1500 = streetCounts(t);
    // Tied counts: ordered by name, then centroid x.
    expect(at1500.rows.map((r) => [r.count, r.points, r.x])).toEqual([
      [2, 2, 450500],
      [2, 1, 452600],
    ]);
    expect(streetCounts(t, { linkDistance: 1600 }).rows).toHaveLength(1); // the 1600 m gap counts as linked
    expect(streetCounts(t, { linkDistance: 999.999 }).rows.map((r) => r.count)).toEqual([2, 1, 1]);
  });

  it("streetCounts keys place categories and unnamed points by their snap point", () => {
    const t = tableOf([
      ["Supermarket", 450000, 318000],
      ["Supermarket", 450000, 318000],
      ["supermarket", 450010, 318000], // another supermarket 10 m away (case-insensitive category)
      [null, 450000, 318000],
      [null, 450500, 318000],
      ["Mill Lane", 450000, 318000],
      ["Mill Lane", NaN, NaN], // no location: not counted
    ]);
    const r = streetCounts(t);
    const summary = r.rows.map((x) => `${x.kind}:${x.name}:${x.count}`);
    expect(summary).toEqual(["place:Supermarket:2", "street:Mill Lane:1", "place:supermarket:1", "unnamed:null:1", "unnamed:null:1"]);
    expect(r.unlocated).toBe(1);
    expect(r.groups[0]).toEqual({ category: null, incidents: 6, units: 5 });
    // With no place list, "Supermarket" is a street name: both spellings are separate names.
    expect(streetCounts(t, { places: [] }).rows.filter((x) => x.kind === "street")).toHaveLength(3);
  });

  it("streetCounts forms the same streets as a brute-force single linkage on many points", () => {
    // 400 points of one name on random-walk chains (seeded LCG), so the grid path (> 24 points) is used.
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pts: [number, number][] = [];
    for (let c = 0; c < 8; ++c) {
      let x = 440000 + rand() * 20000, y = 310000 + rand() * 20000;
      for (let k = 0; k < 50; ++k) {
        x += (rand() - 0.5) * 1800;
        y += (rand() - 0.5) * 1800;
        pts.push([Math.round(x), Math.round(y)]);
      }
    }
    const d = 1000;
    // Brute force: BFS over the graph of pairs within d.
    const comp = new Int32Array(pts.length).fill(-1);
    let nc = 0;
    for (let a = 0; a < pts.length; ++a) {
      if (comp[a] >= 0) continue;
      const queue = [a];
      comp[a] = nc;
      while (queue.length) {
        const p = queue.pop()!;
        for (let q = 0; q < pts.length; ++q) {
          if (comp[q] < 0 && Math.hypot(pts[p][0] - pts[q][0], pts[p][1] - pts[q][1]) <= d) {
            comp[q] = nc;
            queue.push(q);
          }
        }
      }
      ++nc;
    }
    const sizes = new Map<number, number>();
    for (const c of comp) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    const r = streetCounts(tableOf(pts.map(([x, y]) => ["Long Road", x, y] as [string, number, number])), { linkDistance: d });
    expect(r.rows.map((x) => x.count)).toEqual([...sizes.values()].sort((p, q) => q - p));
    expect(nc).toBeGreaterThan(8); // the walks do break up
  });

  it("streetCounts on an empty table gives no rows", () => {
    const r = streetCounts(new IncidentTableBuilder("Europe/London", "EPSG:27700").finish());
    expect(r.rows).toEqual([]);
    expect(r.groups).toEqual([{ category: null, incidents: 0, units: 0 }]);
    expect(topShareSentence(r, 5)).toBe("there are no located incidents");
  });

  it("streetCounts validates its options", () => {
    const t = tableOf([["A Road", 450000, 318000]]);
    expect(thrown(() => streetCounts(t, { locality: "town" as never }))).toEqual([
      "invalid-option",
      'streetCounts: locality must be "cluster", "lsoa", "msoa", "ward", "beat", "district", "none", got "town"',
    ]);
    expect(thrown(() => streetCounts(t, { linkDistance: 0 }))).toEqual(["invalid-option", "streetCounts: linkDistance must be a positive number of metres, got 0"]);
    expect(thrown(() => streetCounts(t, { top: 2.5 }))).toEqual(["invalid-option", "streetCounts: top must be a positive integer, got 2.5"]);
    expect(thrown(() => streetCounts(t, { by: "month" as never }))?.[0]).toBe("invalid-option");
    expect(thrown(() => streetCounts(t, { places: "Supermarket" as never }))?.[0]).toBe("invalid-option");
    expect(thrown(() => streetCounts(t, { categories: [] }))).toEqual(["unknown-category", "streetCounts: categories must be a non-empty list of category keys, got []"]);
    const r = streetCounts(t, { by: "category" });
    expect(thrown(() => topShareSentence(r, 1))).toEqual(["invalid-option", 'topShareSentence: category must be one of "burglary", got undefined']);
    expect(thrown(() => topShareSentence(streetCounts(tableOf([["A", 0, 0], ["B", 0, 9]]), { top: 1 }), 2))?.[1]).toBe("topShareSentence: n must be at most the 1 rows kept by top, got 2");
  });

  it("streetCounts does not modify its input", () => {
    const t = tableOf([["A Road", 450000, 318000], ["Supermarket", 450000, 318000]]);
    const before = [Array.from(t.x), [...t.location.values], Array.from(t.location.codes)];
    streetCounts(t, { by: "category" });
    expect([Array.from(t.x), [...t.location.values], Array.from(t.location.codes)]).toEqual(before);
  });
});

interface RUnit {
  name: string | null;
  kind: StreetCountRow["kind"];
  count: number;
  x: number;
  y: number;
  ward?: string;
}
interface RFixture {
  meta: { R: string; sf: string; PROJ: string; rows: number; linkDistance: number };
  categories: Record<string, { incidents: number; units: number; counts: number[]; top: RUnit[] }>;
  highStreet: RUnit[];
  ashbyRoad: { linkDistance1500: RUnit[]; linkDistance1000: RUnit[] };
  places: { units: number; supermarkets: number; byName: Record<string, number> };
}

describe("streetCounts on Charnwood police.uk data (2019-12 to 2022-10)", () => {
  const R = JSON.parse(readFileSync(fixturePath("geo", "street-counts.json"), "utf8")) as RFixture;
  let charnwood: IncidentTable;
  beforeAll(async () => {
    const all = await readPoliceUkFiles(dataPath("policeuk-leicestershire", "county-2019-12_2022-10"));
    charnwood = selectRows(all.table, lsoaNamePrefixTest(all.table, "Charnwood"));
  });

  it("streetCounts matches an independent R implementation (sf/PROJ projection, hclust single linkage at 1500 m)", () => {
    expect(charnwood.length).toBe(R.meta.rows);
    for (const [key, exp] of Object.entries(R.categories)) {
      // R 4.2.2, sf 1.0-9, PROJ 9.1.0: test/fixtures/geo/street-counts.R
      const r = streetCounts(charnwood, key === "all" ? {} : { categories: [key] });
      expect(r.groups[0].incidents).toBe(exp.incidents);
      expect(r.groups[0].units).toBe(exp.units);
      expect(r.rows.map((x) => x.count)).toEqual(exp.counts);
      for (const [k, u] of exp.top.entries()) {
        expect([r.rows[k].name, r.rows[k].kind, r.rows[k].count]).toEqual([u.name, u.kind, u.count]);
        expect(Math.abs(r.rows[k].x - u.x)).toBeLessThan(0.01); // proj4js vs PROJ: < 1 mm here
        expect(Math.abs(r.rows[k].y - u.y)).toBeLessThan(0.01);
      }
    }
  });

  it("streetCounts keeps Charnwood's five High Streets apart and joins Loughborough's Ashby Road", () => {
    const r = streetCounts(charnwood);
    const high = r.rows.filter((x) => x.name === "High Street");
    // R + census merged wards: Loughborough Southfields, Sileby, Barrow and Sileby West, Syston West, Quorn and Mountsorrel Castle.
    expect(R.highStreet.map((u) => u.ward)).toEqual(["Loughborough Southfields", "Sileby", "Barrow and Sileby West", "Syston West", "Quorn and Mountsorrel Castle"]);
    expect(high.map((x) => x.count)).toEqual(R.highStreet.map((u) => u.count));
    for (let a = 0; a < high.length; ++a) for (let b = a + 1; b < high.length; ++b) expect(Math.hypot(high[a].x - high[b].x, high[a].y - high[b].y)).toBeGreaterThan(1500);
    expect(new Set(high.map((x) => x.locality)).size).toBe(5);
    // The naive count by name alone would have made them one "street".
    expect(streetCounts(charnwood, { locality: "none" }).rows.filter((x) => x.name === "High Street").map((x) => x.count)).toEqual([high.reduce((s, x) => s + x.count, 0)]);
    // Ashby Road: one street at 1500 m; at 1000 m a 1.28 km gap between its snap points splits it.
    const ashby = (d: number) => streetCounts(charnwood, { linkDistance: d }).rows.filter((x) => x.name === "Ashby Road").map((x) => x.count);
    expect(ashby(1500)).toEqual(R.ashbyRoad.linkDistance1500.map((u) => u.count));
    expect(ashby(1000)).toEqual(R.ashbyRoad.linkDistance1000.map((u) => u.count));
    expect(R.ashbyRoad.linkDistance1000.map((u) => u.ward)).toEqual(["Loughborough Southfields", "Loughborough Ashby"]);
  });

  it("streetCounts treats police.uk place categories as one place per snap point", () => {
    const r = streetCounts(charnwood);
    const placeNames = new Set(POLICE_UK_PLACE_NAMES.map((p) => p.toLowerCase()));
    const places = r.rows.filter((x) => x.kind === "place");
    // R (street-counts.R): one unit per distinct (place name, x, y) snap point.
    expect(places.length).toBe(R.places.units);
    for (const p of places) {
      expect(placeNames.has(p.name!.toLowerCase())).toBe(true);
      expect(p.points).toBe(1);
    }
    expect(places.filter((p) => p.name === "Supermarket").length).toBe(R.places.supermarkets);
    const byName: Record<string, number> = {};
    for (const p of places) byName[p.name!] = (byName[p.name!] ?? 0) + 1;
    expect(byName).toEqual(R.places.byName);
    // Every location value containing "/" in the data is a place category (police.uk's "X/Y Area" form).
    for (const v of charnwood.location.values) if (v !== null && v.includes("/")) expect(placeNames.has(v.toLowerCase())).toBe(true);
  });

  it("streetCounts lists the top 5 streets of every crime type as R does (charnwood-top-streets.tsv)", () => {
    // Expected lines: written by test/fixtures/geo/street-counts.R (R 4.2.2, sf 1.0-9, PROJ 9.1.0)
    // from the documented rules — locality = the most common LSOA's name less its final letter,
    // cumulative = running count ÷ located incidents of the type, and topShareSentence's wording.
    const expected = readFileSync(fixturePath("geo", "charnwood-top-streets.tsv"), "utf8").split("\n");
    const r = streetCounts(charnwood, { by: "category", top: 5 });
    const lines = r.rows.map((x) => `${x.category}\t${x.rank}\t${x.name ?? "(unnamed)"}\t${x.kind}\t${x.locality}\t${x.count}\t${(100 * x.cumulativeShare).toFixed(1)}%`);
    const sentences = r.groups.map((g) => topShareSentence(r, 5, { category: g.category! }));
    expect(["category\trank\tname\tkind\tlocality\tcount\tcumulative", ...lines, "", ...sentences, ""]).toEqual(expected);
    expect(lines).toHaveLength(14 * 5); // every police.uk crime type occurs in Charnwood
    // The R JSON's burglary counts give the same share (a second, independent route).
    expect(sentences.find((s) => s.endsWith("of burglary"))).toBe(
      `the top 5 streets hold ${((100 * R.categories.burglary.counts.slice(0, 5).reduce((s, c) => s + c, 0)) / R.categories.burglary.incidents).toFixed(1)}% of burglary`,
    );
  });
});
