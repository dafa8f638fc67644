// readPoliceUkFiles on worker threads: 1, 2 and 3 workers give the same IngestResult (table with
// its dictionaries, summary, rejections with their file and line) on the real Leicestershire
// folders and on a crafted folder with duplicate Crime IDs across files, rejected rows, an LSOA
// code named two ways, a non-hex Crime ID, a header-only file and a file big enough to be sent in
// slices; errors met in a worker are the InputError reading in one thread throws. The storage
// estimate from file sizes means no reallocation (the growth count is observable through onStats).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { InputError, MAX_ROW_CHARS, incidentRows, type IngestResult } from "@community-safety/core";
import { readPoliceUkFiles, estimatePoliceUkRows, POLICE_UK_MIN_ROW_BYTES, type PoliceUkReadStats } from "@community-safety/core/node";
import { dataPath, repoRoot } from "../helpers/data.js";

const HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

async function read(paths: string | string[], workers: number): Promise<{ result: IngestResult; stats: PoliceUkReadStats }> {
  let stats: PoliceUkReadStats | undefined;
  const result = await readPoliceUkFiles(paths, { workers, onStats: (s) => (stats = s) });
  return { result, stats: stats! };
}

/**
 * The same IngestResult: summary and rejections compared by vitest (readable diffs), the table's
 * columns with Node's isDeepStrictEqual (typed arrays compared as bytes: vitest's element-wise
 * comparison takes minutes on 10^5 rows), naming the columns that differ.
 */
function expectSame(actual: IngestResult, expected: IngestResult): void {
  expect(actual.summary).toStrictEqual(expected.summary);
  expect(actual.rejected).toStrictEqual(expected.rejected);
  expect(Object.keys(actual.table)).toEqual(Object.keys(expected.table));
  const a = actual.table as unknown as Record<string, unknown>;
  const e = expected.table as unknown as Record<string, unknown>;
  expect(Object.keys(e).filter((k) => !isDeepStrictEqual(a[k], e[k]))).toEqual([]);
  expect(isDeepStrictEqual(actual, expected)).toBe(true);
}

async function errorOf(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    return e as InputError;
  }
  throw new Error("expected a rejection");
}

const leics = dataPath("policeuk-leicestershire");
const realFolders = existsSync(leics) ? readdirSync(leics).filter((d) => readdirSync(join(leics, d)).some((n) => /\.csv(\.gz)?$/.test(n))).sort() : [];

describe.skipIf(realFolders.length === 0)(
  `readPoliceUkFiles on the real police.uk folders${realFolders.length === 0 ? ` (skipped: no police.uk folders under ${leics}; set COMMUNITY_SAFETY_DATA)` : ""}`,
  () => {
    // Each folder read once per worker count; the tests below look at the results.
    const runs = new Map<string, { result: IngestResult; stats: PoliceUkReadStats }[]>();
    const readAll = async (folder: string) => {
      let r = runs.get(folder);
      if (!r) {
        const dir = join(leics, folder);
        r = [await read(dir, 1), await read(dir, 2), await read(dir, 3)];
        runs.set(folder, r);
      }
      return r;
    };

    for (const folder of realFolders) {
      it(`${folder}: 1, 2 and 3 workers give identical results`, async () => {
        const [one, two, three] = await readAll(folder);
        expect(one.stats.workers).toBe(1);
        expect(two.stats.workers).toBe(2);
        expect(three.stats.workers).toBe(Math.min(3, one.stats.files));
        expect(one.result.summary.rows).toBeGreaterThan(0);
        expectSame(two.result, one.result);
        expectSame(three.result, one.result);
      });
    }

    it.skipIf(!realFolders.includes("county-2019-12_2022-10"))("the county files (160,246 rows): the counts the README states, with workers", async () => {
      const [, two] = await readAll("county-2019-12_2022-10");
      expect(two.result.summary).toMatchObject({ rows: 160_246, accepted: 160_171, byReason: { "far-outside-area": 68, "duplicate-id": 7 } });
    });

    it("estimatePoliceUkRows: at least the rows of every folder, and storage allocated once (no growth)", async () => {
      for (const folder of realFolders) {
        const dir = join(leics, folder);
        const estimate = await estimatePoliceUkRows(readdirSync(dir).map((n) => join(dir, n)));
        for (const { result, stats } of await readAll(folder)) {
          expect(estimate).toBeGreaterThanOrEqual(result.summary.rows);
          // Conservative, not wild: the real files average 216–235 bytes a row against 128.
          expect(estimate).toBeLessThan(2.5 * Math.max(result.summary.rows, 1024));
          expect(stats).toMatchObject({ estimatedRows: estimate, capacity: estimate, growths: 0, rows: result.summary.rows });
        }
      }
    });

    it("a capacity too small is seen: the storage grows (so the growth count can fail)", async () => {
      const folder = realFolders[realFolders.length - 1];
      const [one] = await readAll(folder);
      for (const workers of [1, 2]) {
        let stats: PoliceUkReadStats | undefined;
        const small = await readPoliceUkFiles(join(leics, folder), { workers, capacity: 1000, onStats: (s) => (stats = s) });
        expect(stats).toMatchObject({ capacity: 1000, estimatedRows: null });
        expect(stats!.growths).toBeGreaterThan(0);
        expectSame(small, one.result);
      }
    });
  },
);

// ---------- a crafted folder
let dir = "";
const id = (k: number) => k.toString(16).padStart(64, "0");
const row = (o: { id?: string; month: string; lon?: string; lat?: string; location?: string; lsoa?: string; name?: string; type?: string; outcome?: string }) =>
  [
    o.id ?? "",
    o.month,
    "Leicestershire Police",
    "Leicestershire Police",
    o.lon ?? "-1.200000",
    o.lat ?? "52.700000",
    o.location ?? "On or near Market Place",
    o.lsoa ?? "E01025670",
    o.name ?? "Charnwood 022A",
    o.type ?? "Burglary",
    o.outcome ?? "Under investigation",
    "",
  ].join(",");

function file(name: string, lines: string[], gz = false): void {
  const text = [HEADER, ...lines].join("\r\n") + "\r\n";
  writeFileSync(join(dir, name + (gz ? ".gz" : "")), gz ? gzipSync(text) : text);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "police-uk-workers-"));
  // 2021-01: ids 1–3; id 2 comes back in 2021-02 and 2021-03 (latest kept), id 3 again in 2021-01
  // in a later file (a tie: the one read last is kept).
  file("2021-01-a-street.csv", [
    row({ id: id(1), month: "2021-01" }),
    row({ id: id(2), month: "2021-01", location: '"On or near Ellis Park, Glenfield"' }),
    row({ id: id(3), month: "2021-01", lon: "0x34" }), // invalid-coordinate
    row({ id: id(3), month: "2021-01", lsoa: "E01000001", name: "Leicester 001A", lon: "-1.130000", lat: "52.630000" }),
    "",
    row({ month: "2021-01", type: "Anti-social behaviour", outcome: "" }),
    row({ id: id(4), month: "2021-01", type: "Not a crime" }), // unknown-category
    row({ id: id(5), month: "2021-01", lon: "0", lat: "0" }), // null-island
  ]);
  file("2021-01-b-street.csv", [
    row({ id: id(3), month: "2021-01", location: "On or near ", lsoa: "E01000002", name: "Charnwood 001B" }),
    row({ id: id(6), month: "2021-01", lon: "-0.190000", lat: "51.450000" }), // Wandsworth: far-outside-area
    'x,2021-01,"unterminated', // unterminated-quote
    "a,b,c", // ragged-row
    row({ id: id(7), month: "9999-12" }), // invalid-date
  ], true);
  // The same LSOA code named another way: the first name read is kept, as by one reader.
  file("2021-02-a-street.csv", [
    row({ id: id(2), month: "2021-02", outcome: "Court result unavailable" }),
    row({ id: id(8), month: "2021-02", lsoa: "E01000002", name: "Melton 003C", location: "No Location", lon: "", lat: "" }),
    row({ id: id(9), month: "2021-02", lsoa: "E01000009", name: "Melton 004A", location: "On or near Sherrard Street" }),
  ]);
  file("2021-02-b-street.csv", []); // header only
  file("2021-03-a-street.csv", [
    row({ id: id(2), month: "2021-03", type: "Robbery", outcome: "Investigation complete; no suspect identified" }),
    row({ id: "NOT-HEX-" + id(10), month: "2021-03" }), // ids switch to UTF-8 from here on
    row({ id: id(11), month: "2021-03", lsoa: "", name: "", location: "No Location", lon: "", lat: "" }),
  ], true);
  // A big file, sent by a worker in slices (more than 2^17 rows), with the ids of earlier files again.
  const big: string[] = [];
  const streets = ["High Street", "Church Lane", "Station Road", "Mill Lane", "Park Road"];
  for (let k = 0; k < 140_000; ++k) {
    const lsoa = k % 97;
    big.push(
      row({
        id: k % 4 === 0 ? "" : k % 50_000 === 7 ? id(1) : id(1000 + k),
        month: "2021-04",
        lon: (-1.3 + (k % 389) * 0.001).toFixed(6),
        lat: (52.6 + (k % 211) * 0.001).toFixed(6),
        location: `On or near ${streets[k % 5]}`,
        lsoa: `E0103${String(lsoa).padStart(4, "0")}`,
        name: `${k % 3 ? "Charnwood" : "Melton"} ${String(lsoa).padStart(3, "0")}A`,
        type: k % 4 === 0 ? "Anti-social behaviour" : "Vehicle crime",
        outcome: k % 4 === 0 ? "" : "Unable to prosecute suspect",
      }),
    );
  }
  file("2021-04-a-street.csv", big);
  file("2021-05-a-street.csv", [row({ id: id(12), month: "2021-05", lsoa: "E01030005", name: "Somewhere Else 005A" })]);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("readPoliceUkFiles on a crafted folder", () => {
  it("1, 2 and 3 workers give identical results: duplicates, rejections, LSOA names, ids", async () => {
    const one = await read(dir, 1);
    const two = await read(dir, 2);
    const three = await read(dir, 3);
    expect(two.stats.workers).toBe(2);
    expect(three.stats.workers).toBe(3);
    expectSame(two.result, one.result);
    expectSame(three.result, one.result);

    // And the result is the expected one (so identical cannot mean identically wrong).
    const { table, rejected, summary } = one.result;
    expect(summary.rows).toBe(7 + 5 + 3 + 0 + 3 + 140_000 + 1);
    expect(summary.rows).toBe(summary.accepted + summary.rejected);
    expect(summary.files.map((f) => f.file)).toEqual(readdirSync(dir).sort());
    expect(summary.files[0].blankLines).toBe(1);
    expect(summary.byReason).toMatchObject({ "invalid-coordinate": 1, "unknown-category": 1, "null-island": 1, "unterminated-quote": 1, "ragged-row": 1, "invalid-date": 1, "far-outside-area": 1 });
    const dup = rejected.filter((r) => r.reason === "duplicate-id");
    // id 2 (2 older copies), id 3 (first 2021-01 copy, tie: later file kept), id 1 (2021-01 and two
    // copies in the big file: the last one read is kept).
    expect(dup.map((r) => `${r.file}:${r.line}`).sort()).toEqual([
      "2021-01-a-street.csv:2",
      "2021-01-a-street.csv:3",
      "2021-01-a-street.csv:5",
      "2021-02-a-street.csv:2",
      "2021-04-a-street.csv:9",
      "2021-04-a-street.csv:50009",
    ].sort());
    const rows = incidentRows(table);
    const kept2 = rows.find((r) => r.id === id(2))!;
    expect(kept2).toMatchObject({ category: "robbery", outcome: "Investigation complete; no suspect identified" });
    // E01000002 was first read as "Charnwood 001B": its name and district stay those.
    expect(table.areaNames.get("E01000002")).toBe("Charnwood 001B");
    expect(rows.find((r) => r.id === id(8))).toMatchObject({ lsoa: "E01000002", district: "Charnwood" });
    expect(rows.find((r) => r.id === id(9))).toMatchObject({ district: "Melton" });
    expect(table.id.encoding).toBe("utf8");
    // The one non-hex Crime ID is kept as written (the column falls back to UTF-8): exactly one row.
    expect(rows.filter((r) => r.id === "NOT-HEX-" + id(10)).length).toBe(1);
    expect(summary.notes.noLocation).toBe(2);
  });

  it("ids: false finds the same duplicates and keeps every other column as it is, each row's ID empty (1 and 2 workers)", async () => {
    const kept = (await read(dir, 1)).result;
    for (const workers of [1, 2]) {
      const r = await readPoliceUkFiles(dir, { workers, ids: false });
      expect(r.summary).toStrictEqual(kept.summary);
      expect(r.rejected).toStrictEqual(kept.rejected); // the six duplicate-id rejections among them
      const a = r.table as unknown as Record<string, unknown>;
      const e = kept.table as unknown as Record<string, unknown>;
      expect(Object.keys(e).filter((k) => k !== "id" && !isDeepStrictEqual(a[k], e[k]))).toEqual([]);
      expect(r.table.id.bytes.length).toBe(0);
      expect(r.table.id.offsets.length).toBe(r.table.length + 1);
      expect(r.table.id.offsets.every((o) => o === 0)).toBe(true);
      expect(new Set(incidentRows(r.table).map((row) => row.id))).toEqual(new Set([null]));
    }
    expect((await errorOf(readPoliceUkFiles(dir, { ids: "no" as never }))).code).toBe("invalid-option");
  });

  it("progress is reported with growing byte counts, ending at the files' size, with workers too", async () => {
    for (const workers of [1, 2]) {
      const seen: number[] = [];
      await readPoliceUkFiles(dir, { workers, onProgress: (p) => seen.push(p.bytes) });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((b, k) => k === 0 || b >= seen[k - 1])).toBe(true);
      const { statSync } = await import("node:fs");
      const total = readdirSync(dir).reduce((s, n) => s + statSync(join(dir, n)).size, 0);
      expect(seen[seen.length - 1]).toBe(total);
    }
  });

  it("a corrupt .gz, a missing file and a file with no header fail with the same InputError as in one thread", async () => {
    const bad = mkdtempSync(join(tmpdir(), "police-uk-workers-bad-"));
    try {
      writeFileSync(join(bad, "2021-01-a-street.csv"), [HEADER, row({ id: id(1), month: "2021-01" })].join("\n"));
      const gz = gzipSync([HEADER, row({ id: id(2), month: "2021-02" })].join("\n"));
      writeFileSync(join(bad, "2021-02-a-street.csv.gz"), gz.subarray(0, gz.length - 12)); // truncated
      writeFileSync(join(bad, "2021-03-a-street.csv"), [HEADER, row({ id: id(3), month: "2021-03" })].join("\n"));
      const errors = await Promise.all([1, 2, 3].map((workers) => errorOf(readPoliceUkFiles(bad, { workers }))));
      for (const e of errors) {
        expect(e).toBeInstanceOf(InputError);
        expect(e.code).toBe("invalid-input");
        expect(e.message).toContain(join(bad, "2021-02-a-street.csv.gz"));
        expect(e.message).toBe(errors[0].message);
      }
      const missing = [join(bad, "2021-01-a-street.csv"), join(bad, "2021-02-nothing.csv"), join(bad, "2021-03-a-street.csv")];
      const gone = await Promise.all([1, 2].map((workers) => errorOf(readPoliceUkFiles(missing, { workers }))));
      for (const e of gone) {
        expect(e).toBeInstanceOf(InputError);
        expect(e.message).toBe(gone[0].message);
        expect(e.message).toContain("2021-02-nothing.csv");
      }
      rmSync(join(bad, "2021-02-a-street.csv.gz"));
      writeFileSync(join(bad, "2021-02-b-street.csv"), "");
      const empty = await Promise.all([1, 2].map((workers) => errorOf(readPoliceUkFiles(bad, { workers }))));
      for (const e of empty) {
        expect(e).toBeInstanceOf(InputError);
        expect(e.code).toBe("empty-input");
        expect(e.message).toBe(empty[0].message);
      }
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it("a line with no end (a gzip bomb: 17 million characters from 17 kB) fails with an InputError naming the file and line, not a RangeError", async () => {
    const bad = mkdtempSync(join(tmpdir(), "police-uk-workers-long-"));
    try {
      writeFileSync(join(bad, "2021-01-a-street.csv"), [HEADER, row({ id: id(1), month: "2021-01" })].join("\n") + "\n");
      const line = "a".repeat(MAX_ROW_CHARS + 1000);
      const gz = gzipSync([HEADER, row({ id: id(2), month: "2021-02" }), line].join("\n"));
      expect(gz.length).toBeLessThan(100_000);
      writeFileSync(join(bad, "2021-02-a-street.csv.gz"), gz);
      const errors = await Promise.all([1, 2].map((workers) => errorOf(readPoliceUkFiles(bad, { workers }))));
      for (const e of errors) {
        expect(e).toBeInstanceOf(InputError);
        expect(e.code).toBe("invalid-input");
        expect(e.message).toBe(`DelimitedParser: the row starting on line 3 has more than ${MAX_ROW_CHARS.toLocaleString("en-GB")} characters without a line end: not delimited text (a binary or corrupt file?) (in "2021-02-a-street.csv.gz")`);
      }
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it("workers and capacity must be positive integers", async () => {
    for (const workers of [0, 1.5, -1, Number.NaN]) {
      const e = await errorOf(readPoliceUkFiles(dir, { workers }));
      expect(e.code).toBe("invalid-option");
      expect(e.message).toMatch(/^readPoliceUkFiles: workers must be a positive integer, got /);
    }
    const e = await errorOf(readPoliceUkFiles(dir, { capacity: 0 }));
    expect(e.message).toMatch(/^readPoliceUkFiles: capacity must be a positive integer, got 0/);
  });

  it(`estimatePoliceUkRows: text bytes over ${POLICE_UK_MIN_ROW_BYTES}, plain and gzipped (from the gzip trailer)`, async () => {
    const names = readdirSync(dir).sort();
    const estimate = await estimatePoliceUkRows(names.map((n) => join(dir, n)));
    const { result } = await read(dir, 1);
    expect(estimate).toBeGreaterThanOrEqual(result.summary.rows);
    // The gzipped file counts its text, not its compressed bytes.
    const gz = names.filter((n) => n.endsWith(".gz")).map((n) => join(dir, n));
    const { gunzipSync } = await import("node:zlib");
    const { readFileSync } = await import("node:fs");
    const text = gz.reduce((s, f) => s + gunzipSync(readFileSync(f)).length, 0);
    expect(await estimatePoliceUkRows(gz)).toBe(Math.max(1024, Math.ceil(text / POLICE_UK_MIN_ROW_BYTES)));
  });
});

// The built package: the worker is dist/ingest-worker.js beside dist/node.js.
const dist = join(repoRoot, "packages", "core", "dist");
const built = existsSync(join(dist, "ingest-worker.js")) && existsSync(join(dist, "police-uk-workers.js"));
describe.skipIf(!built)(`from the built dist${built ? "" : " (skipped: packages/core/dist has no ingest-worker.js; build first: npx --yes pnpm@10.34.9 build)"}`, () => {
  it("node dist/node.js with 2 workers gives the summary the sources give", async () => {
    const script = `import { readPoliceUkFiles } from ${JSON.stringify(join(dist, "node.js"))};
const r = await readPoliceUkFiles(${JSON.stringify(dir)}, { workers: 2, onStats: (s) => console.error(s.workers) });
console.log(JSON.stringify({ summary: r.summary, rejected: r.rejected, length: r.table.length }));`;
    const file = join(dir, "..", `${dir.split(/[\\/]/).pop()}-dist.mjs`);
    writeFileSync(file, script);
    const out = spawnSync(process.execPath, [file], { encoding: "utf8" });
    rmSync(file);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr.trim()).toBe("2");
    const { result } = await read(dir, 1);
    expect(JSON.parse(out.stdout)).toEqual({ summary: result.summary, rejected: result.rejected, length: result.table.length });
  });
});
