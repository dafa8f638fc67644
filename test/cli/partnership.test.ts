// Partners' data through the CLI: mapping files (examples/mappings/) in place of presets, and
// several sources in one run — the synthetic borough's five sources written out as five CSV
// files, each with its own mapping, must give the same levels as the borough read directly.
import { describe, it, expect } from "vitest";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParse, csvFormat } from "d3-dsv";
import { DateTime } from "luxon";
import { assess } from "@community-safety/cli";
import { incidentRows, syntheticBorough } from "@community-safety/core";
import { dataPath, repoRoot } from "../helpers/data.js";

const tmp = () => mkdtempSync(join(tmpdir(), "cs-partners-"));
const memphis = dataPath("memphis-robberies-2019", "memphis_robberies_2019.csv");

describe.skipIf(!existsSync(memphis))(`--mapping reproduces --preset through the CLI — needs ${memphis}`, () => {
  it("Memphis with examples/mappings/memphis.json writes the same tables as --preset memphis", async () => {
    const a = await assess({ input: [memphis], preset: "memphis", out: tmp(), quiet: true });
    const b = await assess({ input: [memphis], mapping: [join(repoRoot, "examples", "mappings", "memphis.json")], areaName: "Memphis", out: tmp(), quiet: true });
    expect(b.files).toEqual(a.files);
    for (const f of a.files.filter((x) => x.endsWith(".csv") && x !== "files.csv")) {
      expect(readFileSync(join(b.report, "..", f), "utf8"), f).toBe(readFileSync(join(a.report, "..", f), "utf8"));
    }
    expect(readFileSync(b.report, "utf8")).toContain("<h1>Strategic assessment: Memphis</h1>");
  }, 120_000);
});

describe("a partnership assessment from several sources", () => {
  it("five sources in five mapped files give the synthetic borough's levels, and a section across them", async () => {
    const dir = tmp();
    const s = syntheticBorough({ seed: 1 });
    const rows = incidentRows(s.table);
    const sources = [...new Set(rows.map((r) => r.source!))];
    expect(sources.length).toBe(5);
    const inputs: string[] = [];
    const mappings: string[] = [];
    for (const source of sources) {
      const file = join(dir, `${source}.csv`);
      writeFileSync(
        file,
        csvFormat(
          rows
            .filter((r) => r.source === source)
            .map((r) => ({ ref: r.id, when: DateTime.fromISO(r.start, { zone: "utc" }).setZone("Europe/London").toFormat("yyyy-MM-dd HH:mm"), type: r.category, lon: r.lon, lat: r.lat, beat: r.beat, district: r.district })),
        ),
      );
      const mapping = join(dir, `${source}.json`);
      writeFileSync(mapping, JSON.stringify({ name: `Synthetic ${source}`, columns: { id: "ref", source: { value: source }, category: "type", date: "when", lon: "lon", lat: "lat", beat: "beat", district: "district" }, dateFormat: "yyyy-MM-dd HH:mm", zone: "Europe/London", crs: "EPSG:27700" }));
      inputs.push(file);
      mappings.push(mapping);
    }
    const direct = await assess({ out: tmp(), quiet: true });
    // The borough's extract window (April 2019 – March 2022), declared as a partner would: a small
    // source with a month of no records must not read as a gap.
    const mapped = await assess({ input: inputs, mapping: mappings, extractWindow: ["2019-04", "2022-03"], out: tmp(), quiet: true });
    const levels = (r: { report: string }) => csvParse(readFileSync(join(r.report, "..", "levels-financial-year-category.csv"), "utf8")).map((x) => `${x.period} ${x.source} ${x.category} ${x.count}`).sort();
    expect(levels(mapped)).toEqual(levels(direct));
    expect(mapped.sections).toContain("sources");
    const byArea = csvParse(readFileSync(join(mapped.report, "..", "sources-by-area.csv"), "utf8"));
    // Every source's 2021/22 count per beat equals an independent count of the rows written out
    // (start in April 2021 – March 2022, London time, with a beat).
    const inFy = (iso: string) => {
      const t = DateTime.fromISO(iso, { zone: "utc" }).setZone("Europe/London");
      return t >= DateTime.fromObject({ year: 2021, month: 4, day: 1 }, { zone: "Europe/London" }) && t < DateTime.fromObject({ year: 2022, month: 4, day: 1 }, { zone: "Europe/London" });
    };
    for (const source of sources) {
      const expected = new Map<string, number>();
      for (const r of rows) if (r.source === source && r.beat !== null && inFy(r.start)) expected.set(r.beat, (expected.get(r.beat) ?? 0) + 1);
      const got = new Map(byArea.filter((x) => x.source === source && x.count !== "0").map((x) => [x.area, Number(x.count)]));
      expect(got, source).toEqual(expected);
    }
    const html = readFileSync(mapped.report, "utf8");
    expect(html).toContain("Beats with more anti-social behaviour incidents tend to have more deliberate fires in 2021/22");
    expect(html).toContain("Synthetic deliberate-fire (deliberate-fire.csv).");
  }, 120_000);

  it("places records with a beat code but no point in their beat (area-only locations)", async () => {
    const dir = tmp();
    const s = syntheticBorough({ seed: 1 });
    const beats = { type: "FeatureCollection", features: s.boundaries.features.filter((f) => f.properties.level === "beat") };
    const beatsFile = join(dir, "beats.geojson");
    writeFileSync(beatsFile, JSON.stringify(beats));
    // Police recorded crime, every third row written without its point (its beat code kept).
    const rows = incidentRows(s.table).filter((r) => r.source === "police-recorded-crime");
    const when = (r: (typeof rows)[number]) => DateTime.fromISO(r.start, { zone: "utc" }).setZone("Europe/London").toFormat("yyyy-MM-dd HH:mm");
    const write = (name: string, blank: boolean) => {
      const file = join(dir, name);
      writeFileSync(file, csvFormat(rows.map((r, k) => ({ ref: r.id, when: when(r), type: r.category, lon: blank && k % 3 === 0 ? "" : r.lon, lat: blank && k % 3 === 0 ? "" : r.lat, beat: r.beat }))));
      return file;
    };
    const mapping = join(dir, "crime.json");
    writeFileSync(mapping, JSON.stringify({ columns: { id: "ref", source: { value: "police-recorded-crime" }, category: "type", date: "when", lon: "lon", lat: "lat", beat: "beat" }, dateFormat: "yyyy-MM-dd HH:mm", zone: "Europe/London", crs: "EPSG:27700", requireLocation: true }));
    const run = async (file: string) => {
      const r = await assess({ input: [file], mapping: [mapping], extractWindow: ["2019-04", "2022-03"], areas: beatsFile, areasKey: "code", areasLabel: "beat", out: tmp(), quiet: true });
      return csvParse(readFileSync(join(r.report, "..", "hotspots-beats.csv"), "utf8")).map((x) => `${x.area} ${x.count}`).sort();
    };
    const whole = await run(write("crime-points.csv", false));
    const partial = await run(write("crime-some-codes.csv", true));
    // The synthetic borough's beat codes are its points' beats, so placing by code gives the same counts.
    expect(partial).toEqual(whole);
    expect(whole.length).toBe(12);
  }, 120_000);

  it("refuses mappings that do not pair with the inputs", async () => {
    await expect(assess({ input: ["a.csv", "b.csv", "c.csv"], mapping: ["x.json", "y.json"], out: tmp(), quiet: true })).rejects.toThrow("assess: --mapping must be given once (for every --input) or once per --input, in order, got 2 for 3 inputs");
    await expect(assess({ input: ["a.csv"], mapping: ["x.json"], preset: "memphis", out: tmp(), quiet: true })).rejects.toThrow("assess: --input takes --preset or --mapping, got both");
  });
});

// The issue asks for the real Lancashire ASB export beside Lancashire police data; only the ASB
// export is in ../shared/data (no Lancashire street-level crime files), so this is skipped with
// the reason until a crime extract is added there.
const lancashireCrime = dataPath("policeuk-lancashire");
describe.skipIf(!existsSync(lancashireCrime))(`Lancashire police.uk crime with the Lancashire ASB export — needs ${lancashireCrime} (not in the shared data: only the ASB export is)`, () => {
  it("reads both into one partnership assessment", async () => {
    const r = await assess({
      policeUk: [lancashireCrime],
      input: [dataPath("policeuk-lancashire-asb-2022", "lancashire_asb.tab")],
      preset: "police-uk-asb-tab",
      out: tmp(),
      quiet: true,
    });
    expect(r.sections).toContain("sources");
  }, 300_000);
});

const lancashire = dataPath("policeuk-lancashire-asb-2022");
describe.skipIf(!existsSync(lancashire))(`ward populations give rates in the areas table — needs ${lancashire}`, () => {
  it("Lancashire ASB by ward: code, name, count, share and rate per 1,000 from the ward population file", async () => {
    const r = await assess({
      input: [join(lancashire, "lancashire_asb.tab")],
      preset: "police-uk-asb-tab",
      areas: join(lancashire, "lancashire_wards.geojson"),
      areasKey: "ward_code",
      areasNameKey: "ward_name",
      areasLabel: "ward",
      population: join(lancashire, "lancashire_ward_pop.csv"),
      populationLevel: "ward",
      areaName: "Lancashire",
      out: tmp(),
      quiet: true,
    });
    const wards = csvParse(readFileSync(join(r.report, "..", "hotspots-wards.csv"), "utf8"));
    expect(wards.columns).toEqual(["area", "name", "count", "sharePercent", "population", "rate"]);
    // Residents read independently from the population file; names from the ward polygons.
    const pop = new Map(csvParse(readFileSync(join(lancashire, "lancashire_ward_pop.csv"), "utf8")).map((x) => [x.gss_code, Number(x.population)]));
    const names = new Map((JSON.parse(readFileSync(join(lancashire, "lancashire_wards.geojson"), "utf8")).features as { properties: { ward_code: string; ward_name: string } }[]).map((f) => [f.properties.ward_code, f.properties.ward_name]));
    const total = wards.reduce((t, w) => t + Number(w.count), 0);
    let withRate = 0;
    for (const w of wards) {
      expect(w.name).toBe(names.get(w.area));
      expect(Number(w.sharePercent)).toBeCloseTo((100 * Number(w.count)) / total, 8);
      if (pop.has(w.area)) {
        expect(Number(w.population)).toBe(pop.get(w.area));
        expect(Number(w.rate)).toBeCloseTo((1000 * Number(w.count)) / pop.get(w.area)!, 8);
        withRate += 1;
      } else expect(w.rate).toBe("");
    }
    // The data README: 40 population codes have no polygon and 26 polygons no population (vintages differ).
    expect(withRate).toBeGreaterThan(200);
    expect(readFileSync(r.report, "utf8")).toContain("incidents per 1,000 residents by ward");
  }, 120_000);
});
