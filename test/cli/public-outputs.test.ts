// assess --public: every output of the Charnwood (police.uk, with population, targets and wards)
// and Denver (address-level points) reports is published under the default disclosure policy and
// checked cell by cell, independently of the specs the report uses: which columns hold counts is
// listed here, every numeric column must be listed (as a count or as not a count), and the exact
// points of small counts are taken from the same report run without --public.
import { describe, it, expect, beforeAll } from "vitest";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { assess, publicRows, generalisePoints, cellCentre, publicOutputProblems, DisclosureContext, type AssessOptions } from "@community-safety/cli";
import { projector } from "@community-safety/core";
import { charnwoodAssessOptions, dataPath, fixturePath, repoRoot } from "../helpers/data.js";
import { COUNT_COLUMNS, small, leaks, publishedPoints, smallCountPoints, smallCountProblems } from "../helpers/public-check.js";

const tmp = () => mkdtempSync(join(tmpdir(), "cs-public-"));
interface Run {
  out: string;
  files: string[];
}

async function run(options: Omit<AssessOptions, "out" | "quiet">): Promise<Run> {
  const out = tmp();
  await assess({ ...options, out, quiet: true });
  return { out, files: readdirSync(out).sort() };
}

const charnwoodData = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");
const denverData = dataPath("denver-crime-sample", "denver_crime_sample_non_traffic.csv.gz");

describe.skipIf(!existsSync(charnwoodData))(`assess --public on Charnwood (police.uk) — needs ${charnwoodData}`, () => {
  const options: Omit<AssessOptions, "out" | "quiet"> = charnwoodAssessOptions();
  let open: Run;
  let pub: Run;
  beforeAll(async () => {
    open = await run(options);
    pub = await run({ ...options, public: true });
  }, 240_000);

  it("writes the same files, and the open report has the small counts the public one must not", () => {
    expect(pub.files).toEqual(open.files);
    expect(pub.files).toContain("hotspots-wards.geojson");
    expect(pub.files).toContain("targets-progress.csv");
    // The figure: 1,821 street × type rows with a count of 1 in the open report.
    const streets = csvParse(readFileSync(join(open.out, "hotspots-streets.csv"), "utf8"));
    expect(streets.filter((r) => r.count === "1").length).toBe(1821);
    expect(smallCountProblems(open.out).length).toBeGreaterThan(1821);
  });

  it("publishes no count from 1 to 4 in any CSV, GeoJSON, report table, figure or sentence", () => {
    expect(smallCountProblems(pub.out)).toEqual([]);
  });

  it("publishes no exact point of a street with a small count", () => {
    const points = smallCountPoints(open.out);
    expect(points.length).toBeGreaterThan(1000);
    // The check finds them in the open report (so it can fail)…
    expect(leaks(points, publishedPoints(open.out)).length).toBe(points.length);
    // …and none in the public one.
    expect(leaks(points, publishedPoints(pub.out))).toEqual([]);
  });

  it("moves small counts' points to their 500 m cell centre and withholds their names", () => {
    const rows = csvParse(readFileSync(join(pub.out, "hotspots-streets.csv"), "utf8"));
    const moved = rows.filter((r) => r.position === "500 m cell centre");
    expect(moved.length).toBeGreaterThan(1000);
    for (const r of moved) {
      expect(r.count).toBe("");
      expect(r.name).toBe("");
      expect((Number(r.x) - 250) % 500).toBe(0);
      expect((Number(r.y) - 250) % 500).toBe(0);
    }
  });

  it("keeps published counts equal to the open report's, and the whole-year totals add up", () => {
    const open_ = csvParse(readFileSync(join(open.out, "levels-financial-year-category.csv"), "utf8"));
    const pub_ = csvParse(readFileSync(join(pub.out, "levels-financial-year-category.csv"), "utf8"));
    expect(pub_.length).toBe(open_.length);
    let published = 0;
    pub_.forEach((r, i) => {
      if (r.count === "") expect(r.suppressed).not.toBe("");
      else {
        expect(r.count).toBe(open_[i].count);
        published += 1;
      }
    });
    expect(published).toBeGreaterThan(0.8 * pub_.length);
    // Secondary suppression: no (period, source) line holds exactly one withheld count.
    const lines = new Map<string, number>();
    for (const r of pub_) if (r.count === "" && r.suppressed !== "") lines.set(`${r.period}|${r.source}`, (lines.get(`${r.period}|${r.source}`) ?? 0) + 1);
    for (const [line, n] of lines) expect(n, line).not.toBe(1);
  });

  it("states the rule and what was withheld, and lists rejected rows without raw values", () => {
    const html = readFileSync(join(pub.out, "report.html"), "utf8");
    expect(html).toContain("Protected for publication: Counts from 1 to 4 are withheld");
    expect(html).toContain("<h3>Disclosure control</h3>");
    expect(html).not.toContain("<!--disclosure-summary-->");
    expect(readFileSync(join(pub.out, "rejected.csv"), "utf8").split(/\r?\n/)[0]).toBe("file,row,line,field,reason");
    expect(readFileSync(join(open.out, "rejected.csv"), "utf8").split(/\r?\n/)[0]).toBe("file,row,line,field,value,reason,message");
  });
});

describe.skipIf(!existsSync(denverData))(`assess --public on Denver (address-level points) — needs ${denverData}`, () => {
  let open: Run;
  let pub: Run;
  beforeAll(async () => {
    open = await run({ input: [denverData], preset: "denver" });
    pub = await run({ input: [denverData], preset: "denver", public: true });
  }, 240_000);

  it("publishes no small count and no exact point of one", () => {
    expect(pub.files).toEqual(open.files);
    const points = smallCountPoints(open.out);
    expect(points.length).toBeGreaterThan(100);
    expect(leaks(points, publishedPoints(open.out)).length).toBe(points.length);
    expect(leaks(points, publishedPoints(pub.out))).toEqual([]);
    expect(smallCountProblems(open.out).length).toBeGreaterThan(0);
    expect(smallCountProblems(pub.out)).toEqual([]);
  });
});

describe("assess --public on the synthetic borough", () => {
  it("rounds every count to base 5 with method round", async () => {
    const pub = await run({ public: { method: "round" } });
    for (const [f, cols] of Object.entries(COUNT_COLUMNS)) {
      if (!pub.files.includes(f)) continue;
      for (const r of csvParse(readFileSync(join(pub.out, f), "utf8"))) {
        for (const c of cols) if (r[c] !== "") expect(Number(r[c]) % 5, `${f} ${c} = ${r[c]}`).toBe(0);
      }
    }
    expect(readFileSync(join(pub.out, "report.html"), "utf8")).toContain("Every count is rounded to the nearest multiple of 5");
  }, 120_000);

  it("refuses a bad policy before reading anything", async () => {
    await expect(assess({ public: { threshold: 1 }, out: tmp(), quiet: true })).rejects.toThrow(/threshold must be an integer from 2 to 1000, got 1/);
    await expect(assess({ public: { method: "blur" as "round" }, out: tmp(), quiet: true })).rejects.toThrow(/method must be "suppress" or "round"/);
  });
});

describe("community-safety assess --public on the command line", () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ["--conditions=community-safety-source", "--import", "tsx", "packages/cli/src/bin.ts", "assess", ...args], { cwd: repoRoot, encoding: "utf8" });
  it("takes --public-threshold and --public-method, and refuses them without --public or with bad values", () => {
    const fixtures = ["2021-03-good.csv", "2021-04-repeat.csv", "2021-05-bad-rows.csv"].flatMap((f) => ["--police-uk", fixturePath("police-uk", f)]);
    const out = tmp();
    const ok = cli([...fixtures, "--public", "--public-threshold", "3", "--out", out, "--quiet"]);
    expect(ok.status).toBe(0);
    // Every count in these fixtures is 1: with a threshold of 3 each is withheld in the year × type table.
    const levels = csvParse(readFileSync(join(out, "levels-financial-year-category.csv"), "utf8"));
    expect(levels.filter((r) => r.count !== "" && small(Number(r.count)))).toEqual([]);
    expect(levels.some((r) => r.suppressed === "count: primary")).toBe(true);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("Counts from 1 to 2 are withheld");
    const cases: [string[], string][] = [
      [["--public-threshold", "3"], "community-safety: assess: --public-threshold and --public-method must come with --public, got them without it [invalid-option]"],
      [["--public", "--public-threshold", "1"], 'community-safety: assess: --public-threshold must be an integer from 2 to 1000, got "1" [invalid-option]'],
      [["--public", "--public-method", "blur"], 'community-safety: assess: --public-method must be suppress or round, got "blur" [invalid-option]'],
    ];
    for (const [args, line] of cases) {
      const r = cli([...fixtures, ...args, "--out", tmp(), "--quiet"]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(line);
    }
  }, 60_000);
});

describe("publicRows", () => {
  // Hand-worked: A = 2 is disclosive; the area line (A, B, C) would recover it from the total,
  // so the smallest other non-zero count (B = 9) is withheld too, with B's rate.
  it("withholds small counts, a second count to protect them, and their derived values", () => {
    const r = publicRows(
      [
        { area: "A", count: 2, rate: 0.1 },
        { area: "B", count: 9, rate: 0.4 },
        { area: "C", count: 30, rate: 1.2 },
        { area: "D", count: 0, rate: 0 },
      ],
      { kind: "counts", counts: ["count"], dimensions: ["area"], derived: ["rate"] },
    );
    expect(r.rows.map((x) => [x.count, x.rate])).toEqual([[null, null], [null, null], [30, 1.2], [0, 0]]);
    expect([r.cells, r.primary, r.secondary]).toEqual([4, 1, 1]);
  });

  it("rounds to base 5 and withholds derived values of small counts", () => {
    const r = publicRows(
      [
        { area: "A", count: 2, share: 2 / 41 },
        { area: "B", count: 7, share: 7 / 41 },
        { area: "C", count: 32, share: 32 / 41 },
      ],
      { kind: "counts", counts: ["count"], dimensions: ["area"], derived: ["share"] },
      { method: "round" },
    );
    expect(r.rows.map((x) => x.count)).toEqual([0, 5, 30]);
    expect(r.rows.map((x) => x.share)).toEqual([null, 7 / 41, 32 / 41]);
    expect(r.rounded).toBe(3);
  });

  it("withholds a whole cumulative series when one month is small", () => {
    const rows = [
      { id: "a", month: "2022-04", actual: 6, cumulative: 6 },
      { id: "a", month: "2022-05", actual: 3, cumulative: 9 },
      { id: "b", month: "2022-04", actual: 40, cumulative: 40 },
      { id: "b", month: "2022-05", actual: 50, cumulative: 90 },
    ];
    const r = publicRows(rows, { kind: "counts", counts: ["actual", "cumulative"], dimensions: ["id", "month"], series: { by: ["id"], derived: [], whole: true } });
    expect(r.rows.filter((x) => x.id === "a").map((x) => [x.actual, x.cumulative])).toEqual([[null, null], [null, null]]);
    // Secondary suppression along the month lines withholds one of b's months, so b goes whole too.
    expect(r.rows.filter((x) => x.id === "b").every((x) => x.actual === null)).toBe(true);
  });
});

describe("generalisePoints", () => {
  it("moves small counts to the OS 500 m square's centre and keeps the rest exact", () => {
    // SK 52155 20549 lies in the 500 m square 452000–452500 E, 320500–321000 N: centre 452250, 320750.
    expect(cellCentre(452155.97, 320549.98, 500)).toEqual([452250, 320750]);
    expect(cellCentre(-10, 0, 500)).toEqual([-250, 250]);
    const g = generalisePoints(
      [
        { name: "Oakham Close", x: 452155.97, y: 320549.98, lon: 0, lat: 0, count: 1 },
        { name: "Market Place", x: 454000.5, y: 319800.25, lon: 0, lat: 0, count: 12 },
      ],
      { crs: "EPSG:27700", withhold: ["name"] },
    );
    expect(g.generalised).toBe(1);
    expect(g.rows[0]).toMatchObject({ name: null, x: 452250, y: 320750, count: 1, position: "500 m cell centre" });
    // lon/lat recomputed from the centre: projected forward again they give the centre back (to 1 mm).
    const [fx, fy] = projector("EPSG:27700").forward(g.rows[0].lon, g.rows[0].lat);
    expect(Math.abs(fx - 452250)).toBeLessThan(1e-3);
    expect(Math.abs(fy - 320750)).toBeLessThan(1e-3);
    expect(g.rows[1]).toMatchObject({ name: "Market Place", x: 454000.5, y: 319800.25, lon: 0, lat: 0, position: "exact" });
  });
});

describe("publicOutputProblems", () => {
  const spec = { kind: "counts" as const, counts: ["count"], dimensions: ["area"] };
  it("refuses a file without a spec, an unnamed column and a small count", () => {
    expect(publicOutputProblems({ name: "a.csv", rows: [] }, {})).toEqual(["a.csv: no disclosure spec"]);
    expect(publicOutputProblems({ name: "b.csv", rows: [{ area: "A", count: 7, victim: "x" }], disclosure: spec }, {})).toEqual(['b.csv: column "victim" is not named by its disclosure spec']);
    expect(publicOutputProblems({ name: "c.csv", rows: [{ area: "A", count: 3 }], disclosure: spec }, {})).toEqual(["c.csv: row 1 publishes count = 3"]);
    expect(publicOutputProblems({ name: "d.csv", rows: [{ area: "A", count: 7 }], disclosure: spec }, { method: "round" })).toEqual(["d.csv: row 1 publishes count = 7"]);
    expect(publicOutputProblems({ name: "e.csv", rows: [{ area: "A", count: null }, { area: "B", count: 0 }], disclosure: spec }, {})).toEqual([]);
  });
  it("leaves rows alone when disclosure control is off", () => {
    const dc = new DisclosureContext(null);
    const rows = [{ area: "A", count: 1 }];
    expect(dc.protect("x", rows, spec)).toBe(rows);
    expect(dc.count(1)).toBe(1);
  });
});
