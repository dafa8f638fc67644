// assess --all-areas: one read, partitioned once, a report per partnership area and an index.
// Checked against (1) a hand-worked partition, (2) the single-area run (`--area Charnwood`), whose
// tables each area's report must reproduce, (3) counts made a second way from the raw police.uk
// files with d3-dsv, and (4) the in-process path (1 worker) against the report processes.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { csvParse, csvParseRows } from "d3-dsv";
import { readRecords, partitionRows, rowsOf, selectArea, selectRows, type IncidentTable } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { assess } from "@community-safety/cli";
import { planAllAreas } from "../../packages/cli/src/report/build-all-areas.js";
import { reportHeapFlags } from "../../packages/cli/src/all-areas.js";
import { dataPath } from "../helpers/data.js";

const county = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");
const population = dataPath("geography-leicestershire", "leicestershire-lsoa-population-imd.csv");
const wards = dataPath("geography-leicestershire", "leicestershire-census-merged-wards-2011.geojson");
const tmp = () => mkdtempSync(join(tmpdir(), "cs-all-areas-"));
const LEICESTERSHIRE = ["Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth", "Melton", "North West Leicestershire", "Oadby and Wigston", "Rutland"];

function table(districts: (string | null)[]): IncidentTable {
  const records = districts.map((d, i) => ({ ref: `r${i}`, when: `2021-0${1 + (i % 9)}-01 12:00`, type: "Burglary", district: d }));
  const r = readRecords(records, { columns: { id: "ref", date: "when", category: "type", district: "district" }, dateFormat: "yyyy-MM-dd HH:mm" });
  expect(r.rejected).toEqual([]);
  return r.table;
}

describe("partitionRows (hand-worked)", () => {
  it("groups rows by district in one pass, ascending within each group", () => {
    const t = table(["B", "A", null, "B", "C", "A", "B"]);
    const p = partitionRows(t);
    expect([...rowsOf(p, "A")]).toEqual([1, 5]);
    expect([...rowsOf(p, "B")]).toEqual([0, 3, 6]);
    expect([...rowsOf(p, "C")]).toEqual([4]);
    expect([...rowsOf(p, null)]).toEqual([2]);
    expect([...rowsOf(p, "Z")]).toEqual([]);
    expect(p.offsets[p.offsets.length - 1]).toBe(7);
  });

  it("plans areas in name order with unique folders, leaving out districts under 5% of the largest", () => {
    const names = [...Array(40).fill("Hinckley and Bosworth"), ...Array(40).fill("Hinckley & Bosworth"), ...Array(1).fill("Rugby"), ...Array(2).fill(null)];
    const plan = planAllAreas(table(names));
    expect(plan.areas.map((a) => [a.name, a.folder, a.rows.length])).toEqual([
      ["Hinckley & Bosworth", "hinckley-bosworth", 40],
      ["Hinckley and Bosworth", "hinckley-and-bosworth", 40],
    ]);
    expect(plan.small).toEqual([{ name: "Rugby", rows: 1 }]);
    expect(plan.noArea).toBe(2);
  });

  it("refuses an input where no row names a district", () => {
    expect(() => planAllAreas(table([null, null]))).toThrow(/must hold rows that name a district/);
  });
});

describe.skipIf(!existsSync(county))(`every Leicestershire partnership from one read — needs ${county}`, () => {
  it("partitions exactly as selectArea does, district by district", async () => {
    const { table: t } = await readPoliceUkFiles(county);
    const p = partitionRows(t);
    for (const d of LEICESTERSHIRE) {
      const a = selectRows(t, rowsOf(p, d));
      const b = selectArea(t, { lsoaPrefix: d });
      expect(a.length).toBe(b.length);
      // Typed arrays compared element by element (toEqual's diffing is slow on 44k elements).
      let same = a.id.bytes.length === b.id.bytes.length;
      for (let i = 0; same && i < a.id.bytes.length; ++i) same = a.id.bytes[i] === b.id.bytes[i];
      for (let i = 0; same && i < a.length; ++i) same = Object.is(a.x[i], b.x[i]) && a.start[i] === b.start[i];
      expect(same, d).toBe(true);
    }
    expect(rowsOf(p, "Charnwood").length).toBe(43_971);
  });

  it("writes each area's report with the tables of `--area <name>`, and an index whose counts the raw files give", async () => {
    const out = tmp();
    const single = tmp();
    const common = { policeUk: [county], population, areas: wards, areasKey: "cmwd11nm", areasLabel: "ward", quiet: true };
    const r = await assess({ ...common, allAreas: true, workers: 2, out, profile: true });
    expect(r.report).toBe(join(out, "index.html"));
    // The population file's districts with records: the 8 partnerships of the force area.
    expect(readdirSync(out).filter((f) => !f.includes("."))).toEqual(LEICESTERSHIRE.map((d) => d.toLowerCase().replace(/ /g, "-")));
    await assess({ ...common, area: "Charnwood", out: single });
    const tables = readdirSync(single).filter((f) => /\.(csv|geojson)$/.test(f));
    expect(tables.length).toBeGreaterThan(12);
    for (const f of tables) {
      if (f === "rejected.csv") continue;
      expect(readFileSync(join(out, "charnwood", f), "utf8"), f).toBe(readFileSync(join(single, f), "utf8"));
    }
    // The area's rejected rows: the input's rejections whose LSOA name is Charnwood's (the single
    // run lists all of the input's).
    const { rejected } = await readPoliceUkFiles(county);
    const rejArea = csvParse(readFileSync(join(out, "charnwood", "rejected.csv"), "utf8"));
    const expected = rejected.filter((x) => x.area?.startsWith("Charnwood "));
    expect(expected.length).toBeGreaterThan(0);
    expect(rejArea.map((x) => `${x.file}:${x.row}`)).toEqual(expected.map((x) => `${x.file}:${x.row}`));
    expect(csvParse(readFileSync(join(single, "rejected.csv"), "utf8")).length).toBe(rejected.length);

    // Recorded crime per district, 2021/22 (April–March), counted from the raw files a second way:
    // every row with a location in the district's LSOAs, not ASB, Crime IDs counted once.
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    for (const name of readdirSync(county).sort()) {
      const rows = csvParseRows(gunzipSync(readFileSync(join(county, name))).toString("utf8")).slice(1);
      for (const f of rows) {
        const [id, month, , , , , , , lsoaName, type] = f;
        if (!lsoaName || type === "Anti-social behaviour" || month < "2021-04" || month > "2022-03") continue;
        if (id && seen.has(id)) continue;
        if (id) seen.add(id);
        const d = lsoaName.replace(/ \d{3}[A-Z]$/, "");
        counts.set(d, (counts.get(d) ?? 0) + 1);
      }
    }
    const index = csvParse(readFileSync(join(out, "index-areas.csv"), "utf8"));
    expect(index.map((x) => x.area)).toEqual(LEICESTERSHIRE);
    for (const row of index) {
      expect(Number(row.crimes), row.area).toBe(counts.get(row.area!));
      expect(row.period).toBe("2021/22");
    }
    // The index's rates are the single run's district rates.
    const rates = csvParse(readFileSync(join(single, "levels-district-rates.csv"), "utf8"));
    for (const row of index) expect(Number(row.rate), row.area).toBe(Number(rates.find((x) => x.district === row.area)!.rate));
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).toContain('<a href="charnwood/report.html">Charnwood</a>');
    expect(html).toContain("Funnel plot");
    // --profile: every phase timed, the slowest named.
    const profile = JSON.parse(readFileSync(join(out, "profile.json"), "utf8")) as { phases: { phase: string; seconds: number; cpuSeconds: number; rssBytes: number; peakRssBytes: number; sampledPeakRssBytes?: number }[]; slowest: string; bytesPerIncident: number; areas: number };
    expect(profile.phases.map((p) => p.phase)).toEqual(["Read inputs", "Partition and county picture", "Area reports (2 processes)", "Index page"]);
    // The report processes' CPU is counted in their phase (this process mostly waits for them:
    // without theirs the phase's CPU would be a small part of its wall time), and the peak never falls.
    const reports = profile.phases[2];
    expect(reports.cpuSeconds).toBeGreaterThan(0.9 * reports.seconds);
    for (let k = 1; k < profile.phases.length; ++k) expect(profile.phases[k].peakRssBytes).toBeGreaterThanOrEqual(profile.phases[k - 1].peakRssBytes);
    // The memory of all the processes at once (Linux: sampled from /proc) holds this process's and
    // theirs — more than this process alone at the phase's end — and is at most the sum of their peaks.
    if (process.platform === "linux") {
      expect(reports.sampledPeakRssBytes).toBeGreaterThan(reports.rssBytes + 50 * 2 ** 20);
      expect(reports.sampledPeakRssBytes).toBeLessThanOrEqual(reports.peakRssBytes);
    }
    expect(profile.slowest).toBe(profile.phases.reduce((a, b) => (b.seconds > a.seconds ? b : a)).phase);
    expect(profile.areas).toBe(8);
    expect(profile.bytesPerIncident).toBeGreaterThan(40);
    expect(profile.bytesPerIncident).toBeLessThan(100);

    // One worker (in this process) writes the same files as the report processes, apart from the
    // index's "Built in … s", the profile, and the SVG element ids (counters per process, vega's
    // gradient ids and our prefix that keeps ids unique within a page).
    const inThread = tmp();
    await assess({ ...common, allAreas: true, workers: 1, out: inThread });
    const read = (...p: string[]) => readFileSync(join(...p), "utf8").replace(/(id="|url\(#)[^")]+/g, "$1id");
    let compared = 0;
    for (const d of readdirSync(out)) {
      if (d === "index.html" || d === "profile.json") continue;
      const files = d.includes(".") ? [""] : readdirSync(join(out, d));
      for (const f of files) {
        expect(read(inThread, d, f), `${d}/${f}`).toBe(read(out, d, f));
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(8 * 25);
  });
});

const county2014 = dataPath("policeuk-leicestershire", "county-2014-01_2014-11");
describe.skipIf(!existsSync(county2014))(`an 11-month extract (no whole year) — needs ${county2014}`, () => {
  it("names the headline months in words on the index, never a raw range key, and compares no previous year", async () => {
    const out = tmp();
    await assess({ policeUk: [county2014], population, allAreas: true, workers: 1, out, quiet: true, public: true });
    const index = readFileSync(join(out, "index.html"), "utf8");
    // January–November 2014 are the months the files cover (one file each, 2014-01 … 2014-11).
    expect(index).toContain("Recorded crime, Jan 2014 – Nov 2014");
    expect(index).toContain("recorded crime per 1,000 residents in Jan 2014 – Nov 2014");
    expect(index).not.toMatch(/2014-01\.\.2014-11/);
    expect(index).not.toContain("Previous year");
    const rows = csvParse(readFileSync(join(out, "index-areas.csv"), "utf8"));
    expect(rows.map((r) => r.area)).toEqual(LEICESTERSHIRE);
    expect(rows.every((r) => r.previousCrimes === "")).toBe(true);
  });
});

describe("--all-areas options", () => {
  it.each([
    [{ area: "Charnwood" }, /--all-areas assesses every district, so it must come without --area/],
    [{ targets: "plan.json" }, /must come without --targets/],
    [{ workers: 0 }, /--workers must be an integer from 1 to 64, got 0/],
  ])("refuses %j", async (extra, message) => {
    await expect(assess({ allAreas: true, out: tmp(), quiet: true, ...extra })).rejects.toThrow(message);
  });
});

describe("report processes' heap flags", () => {
  it("pass on the last old-space limit and the last semi-space size given (32 MB when none is), and nothing else", () => {
    expect(reportHeapFlags([])).toEqual(["--max-semi-space-size=32"]);
    expect(reportHeapFlags(["--max-old-space-size=4096", "--inspect", "--max-old-space-size=8192"])).toEqual(["--max-old-space-size=8192", "--max-semi-space-size=32"]);
    expect(reportHeapFlags(["--max-semi-space-size=16"])).toEqual(["--max-semi-space-size=16"]);
    expect(reportHeapFlags(["--max-semi-space-size=16", "--max-old-space-size=2048", "--max-semi-space-size=32", "--cpu-prof"])).toEqual(["--max-old-space-size=2048", "--max-semi-space-size=32"]);
  });
});
