import { describe, it, expect, beforeAll, vi } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { csvParseRows } from "d3-dsv";
import { InputError } from "@community-safety/core";
import { assess, renderSvg, toCsv, type AssessResult } from "@community-safety/cli";
import { dataPath, fixturePath, repoRoot } from "../helpers/data.js";

// Issue 10 (outputs and CLI): formula injection in the CSVs, outputs that were not atomic, an
// output name escaping --out, unknown options and empty inputs ending in a stack trace or an
// empty report, and figures that moved with the machine's time zone.

// A full disk, simulated: while `diskFull.match` is set, writing to a path it matches writes
// half the text and then fails with ENOSPC, as a real write on a full disk does.
const diskFull = vi.hoisted(() => ({ match: null as RegExp | null }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  const enospc = (path: string) => Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: "ENOSPC", syscall: "write", path });
  const half = (data: unknown) => (typeof data === "string" ? data.slice(0, data.length >> 1) : "");
  const full = (path: unknown) => diskFull.match !== null && diskFull.match.test(String(path));
  const writeFile = (async (path: string, data: string, ...rest: unknown[]) => {
    if (full(path)) {
      await fs.writeFile(path, half(data));
      throw enospc(path);
    }
    return (fs.writeFile as (...a: unknown[]) => Promise<void>)(path, data, ...rest);
  }) as typeof fs.writeFile;
  const open = (async (path: string, ...rest: unknown[]) => {
    const handle = await (fs.open as (...a: unknown[]) => Promise<import("node:fs/promises").FileHandle>)(path, ...rest);
    if (!full(path)) return handle;
    return new Proxy(handle, {
      get(target, key) {
        if (key === "writeFile") {
          return async (data: unknown) => {
            await target.writeFile(half(data));
            throw enospc(path);
          };
        }
        const v = Reflect.get(target, key, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
  }) as typeof fs.open;
  return { ...fs, default: { ...fs, writeFile, open }, writeFile, open };
});

const tmp = () => mkdtempSync(join(tmpdir(), "cs-outputs-"));
const policeUkFixtures = ["2021-03-good.csv", "2021-04-repeat.csv", "2021-05-bad-rows.csv"].map((f) => fixturePath("police-uk", f));
const charnwoodFolder = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");
const wards = dataPath("geography-leicestershire", "leicestershire-census-merged-wards-2011.geojson");

/** Runs the CLI in a child process (the way a user does) and returns its exit code and output. */
function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--conditions=community-safety-source", "--import", "tsx", "packages/cli/src/bin.ts", ...args], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, not blocking, so that two runs go side by side. */
function cliAsync(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--conditions=community-safety-source", "--import", "tsx", "packages/cli/src/bin.ts", ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("close", (status) => done({ status, stderr }));
  });
}

/** A header-only police.uk month file (a real force-month with no incident) in a fresh folder. */
function headerOnlyPoliceUk(): string {
  const dir = tmp();
  const header = readFileSync(policeUkFixtures[0], "utf8").split(/\r?\n/)[0];
  const file = join(dir, "2021-03-leicestershire-street.csv");
  writeFileSync(file, header + "\n");
  return file;
}

/** The <svg>…</svg> elements of a report, in order. */
const svgsOf = (html: string) => html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

describe("CSV output: formula injection and number format (item 5)", () => {
  it("toCsv neutralises text starting with = + - @ TAB CR with a quote and keeps numbers as numbers", () => {
    const rows = [{ eq: "=1+1", plus: "+44 116", minus: "-0.165967,51.456466", at: "@SUM(A1)", tab: "\tx", cr: "\rx", n: -3.5, big: 13579.029999999999, mid: "a=b" }];
    expect(toCsv(rows)).toBe(
      'eq,plus,minus,at,tab,cr,n,big,mid\r\n' +
        `"'=1+1","'+44 116","'-0.165967,51.456466","'@SUM(A1)","'\tx","'\rx",-3.5,13579.03,a=b\r\n`,
    );
    // Header names are text too.
    expect(toCsv([{ "=x": 1 }])).toBe(`"'=x"\r\n1\r\n`);
    // A quote inside a neutralised cell is doubled, as RFC 4180 requires.
    expect(toCsv([{ a: '=HYPERLINK("http://x")' }])).toBe(`a\r\n"'=HYPERLINK(""http://x"")"\r\n`);
  });

  it("toCsv writes numbers as plain decimals, integers exactly and others to 12 significant digits", () => {
    const cells = (values: unknown[]) => toCsv(values.map((v) => ({ v }))).split("\r\n").slice(1, -1);
    expect(cells([0.1 + 0.2, 526.4999999999999, 72.00000000000001, 1e-7, -2.5e-10, 0.0000015783395079186966, 452155.97461664706, -1.2282139873553073])).toEqual([
      "0.3", "526.5", "72", "0.0000001", "-0.00000000025", "0.00000157833950792", "452155.974617", "-1.22821398736",
    ]);
    expect(cells([9007199254740993, 1e21, -0, 160171, -42])).toEqual(["9007199254740992", "1000000000000000000000", "0", "160171", "-42"]);
    expect(cells([NaN, Infinity, -Infinity, null, undefined, true, "", "x"])).toEqual(["", "", "", "", "", "true", "", "x"]);
  });

  it("toCsv's number cells equal a digit-string reference (toPrecision(12), point placed, zeros trimmed) over 200,000 seeded values of every magnitude", () => {
    // Reference written out independently of csv.ts: round to 12 significant digits with
    // toPrecision, then place the decimal point by hand from the mantissa and exponent.
    const reference = (v: number): string => {
      if (Number.isInteger(v)) return v === 0 ? "0" : BigInt(v).toString();
      const [m, e] = v.toPrecision(12).split("e");
      const neg = m[0] === "-";
      const [ip, fp = ""] = (neg ? m.slice(1) : m).split(".");
      const digits = ip + fp;
      const point = ip.length + (e === undefined ? 0 : Number(e));
      let text = point <= 0 ? `0.${"0".repeat(-point)}${digits}` : point >= digits.length ? digits + "0".repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
      if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
      text = text.replace(/^0+(?=\d)/, "");
      return neg && text !== "0" ? `-${text}` : text;
    };
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const values: number[] = [];
    for (let i = 0; i < 200_000; ++i) {
      const mag = 10 ** Math.floor(rand() * 44 - 22);
      const v = (rand() - 0.5) * mag;
      // Every fifth value a decimal with few digits (as counts, rates and shares are), then noise in the last bit.
      values.push(i % 5 === 0 ? Math.round(v * 1000) / 1000 + (i % 10 === 0 ? Number.EPSILON * Math.abs(v) : 0) : v);
    }
    const got = toCsv(values.map((v) => ({ v }))).split("\r\n").slice(1, -1);
    const want = values.map((v) => (Number.isFinite(v) ? reference(v) : ""));
    const bad = got.flatMap((g, i) => (g === want[i] ? [] : [`${values[i]}: ${g} ≠ ${want[i]}`]));
    expect(bad.slice(0, 5)).toEqual([]);
    expect(got.length).toBe(200_000);
  });
});

describe("every CSV cell of the synthetic borough and Charnwood (item 5)", () => {
  const runs: Record<string, { out: string; result: AssessResult }> = {};
  beforeAll(async () => {
    const syn = tmp();
    const ch = tmp();
    const [a, b] = await Promise.all([
      assess({ out: syn, quiet: true }),
      assess({
        policeUk: [charnwoodFolder],
        area: "Charnwood",
        population: dataPath("geography-leicestershire", "leicestershire-lsoa-population-imd.csv"),
        targets: fileURLToPath(new URL("../../examples/targets/charnwood-2022-23.json", import.meta.url)),
        areas: wards,
        areasKey: "cmwd11nm",
        areasLabel: "ward",
        out: ch,
        quiet: true,
      }),
    ]);
    runs.synthetic = { out: syn, result: a };
    runs.charnwood = { out: ch, result: b };
  });

  /** A cell a spreadsheet would read as a number. */
  const NUMBER_LIKE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  /** How the CSVs write a number: no exponent, no "+", no leading or trailing zeros. */
  const PLAIN_DECIMAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

  function checkEveryCell(folder: string) {
    const files = readdirSync(folder).filter((f) => f.endsWith(".csv")).sort();
    let cells = 0;
    const problems: string[] = [];
    const neutralised: string[] = [];
    for (const f of files) {
      const rows = csvParseRows(readFileSync(join(folder, f), "utf8"));
      rows.forEach((row, r) =>
        row.forEach((cell, c) => {
          cells += 1;
          const where = `${f} row ${r + 1} column ${c + 1}: ${JSON.stringify(cell.slice(0, 40))}`;
          if (cell.startsWith("'")) neutralised.push(cell);
          else if (/^[=+\-@\t\r]/.test(cell) && !PLAIN_DECIMAL.test(cell)) problems.push(`formula-like text ${where}`);
          if (NUMBER_LIKE.test(cell)) {
            if (!PLAIN_DECIMAL.test(cell)) problems.push(`number not a plain decimal ${where}`);
            // Non-integers carry at most 12 significant digits (no binary noise such as 13579.029999999999).
            else if (cell.includes(".") && cell.replace(/^-?[0.]*/, "").replace(".", "").length > 12) problems.push(`number with noise digits ${where}`);
          }
          if (/^-?(NaN|Infinity)$/.test(cell)) problems.push(`non-finite number ${where}`);
        }),
      );
    }
    return { files, cells, problems, neutralised };
  }

  it("synthetic borough: no cell is formula-like, every number is a plain decimal", () => {
    const { files, cells, problems, neutralised } = checkEveryCell(runs.synthetic.out);
    expect(files).toEqual([
      "change-year-on-year.csv", "coverage.csv", "files.csv", "hotspots-beats.csv", "hotspots-grid.csv", "hotspots-streets.csv",
      "levels-district-rates.csv", "levels-financial-year-category.csv", "levels-month-source.csv", "rejected.csv",
      "sources-by-area.csv", "sources-correlation.csv", "sources-monthly.csv", "targets-progress.csv",
      "targets-series.csv", "trends-exceptional-dates.csv", "trends-monthly-tests.csv", "trends-seasonal-profile.csv", "trends-time-of-week.csv", "trends-xmr.csv",
    ]);
    expect(files).toEqual(runs.synthetic.result.files.filter((f) => f.endsWith(".csv")).sort());
    expect(cells).toBeGreaterThan(30000);
    expect(problems).toEqual([]);
    expect(neutralised).toEqual([]);
  });

  it("Charnwood: no cell is formula-like, every number is a plain decimal, and the 41 rejected '-lon,lat' values are neutralised", () => {
    const { files, cells, problems, neutralised } = checkEveryCell(runs.charnwood.out);
    expect(files).toEqual([
      "change-financial-year-to-date.csv", "change-year-on-year.csv", "coverage.csv", "files.csv", "hotspots-grid.csv", "hotspots-streets.csv",
      "hotspots-wards.csv", "levels-district-rates.csv", "levels-financial-year-category.csv", "levels-month-source.csv", "peer-funnel.csv",
      "rejected.csv", "targets-progress.csv", "targets-series.csv", "trends-monthly-tests.csv", "trends-seasonal-profile.csv", "trends-xmr.csv",
    ]);
    expect(files).toEqual(runs.charnwood.result.files.filter((f) => f.endsWith(".csv")).sort());
    expect(cells).toBeGreaterThan(70000);
    expect(problems).toEqual([]);
    // 41 of the 75 rejected rows (68 far-outside-area snap points, 7 duplicate ids) hold a value
    // starting with "-": the far-away snap points west of Greenwich, written "lon,lat".
    expect(neutralised.length).toBe(41);
    expect(neutralised).toContain("'-0.165967,51.456466");
    const rejected = csvParseRows(readFileSync(join(runs.charnwood.out, "rejected.csv"), "utf8"));
    const valueColumn = rejected[0].indexOf("value");
    expect(rejected.slice(1).filter((r) => r[valueColumn].startsWith("'")).length).toBe(41);
  });
});

describe("atomic outputs and the --out check (item 6)", () => {
  it("an --out under a regular file fails at once with one InputError naming the folder, before any input is read", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "a-file"), "not a folder");
    const out = join(dir, "a-file", "report");
    // The input does not exist: were it read first, the error would be about it.
    const err = await assess({ policeUk: [join(dir, "no-such-input")], out, quiet: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe("invalid-option");
    expect((err as InputError).message).toBe(`assess: --out must be a folder that can be created and written, got "${out}" (ENOTDIR: not a directory)`);
    // The command line prints it as one line and exits 1.
    const r = cli(["assess", "--police-uk", join(dir, "no-such-input"), "--out", out, "--quiet"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`community-safety: assess: --out must be a folder that can be created and written, got "${out}" (ENOTDIR: not a directory) [invalid-option]\n`);
  });

  it("after a normal run the folder holds exactly the outputs, with no temporary or probe file", async () => {
    const out = tmp();
    const result = await assess({ policeUk: policeUkFixtures, out, quiet: true });
    expect(readdirSync(out).sort()).toEqual([...result.files, "report.html"].sort());
    expect(result.files.filter((f) => !f.startsWith("figure-"))).toEqual(["rejected.csv", "files.csv", "coverage.csv", "levels-financial-year-category.csv", "levels-month-source.csv"]);
    expect(result.files.filter((f) => f.startsWith("figure-") && f.endsWith(".svg")).length).toBe(3);
    // Again into the same folder: the files are replaced, nothing is left beside them.
    await assess({ policeUk: policeUkFixtures, out, quiet: true });
    expect(readdirSync(out).sort()).toEqual([...result.files, "report.html"].sort());
  });

  it("a disk that fills up while the report is written leaves the previous report.html whole and no partial or temporary file", async () => {
    const out = tmp();
    writeFileSync(join(out, "report.html"), "<!doctype html><p>the previous complete report</p>\n");
    diskFull.match = /report\.html/;
    try {
      await expect(assess({ policeUk: policeUkFixtures, out, quiet: true })).rejects.toMatchObject({ code: "ENOSPC" });
    } finally {
      diskFull.match = null;
    }
    // Before: report.html was cut in half and looked like a report. Now it is the previous one, and
    // the tables written before the failure were not put in place either.
    expect(readFileSync(join(out, "report.html"), "utf8")).toBe("<!doctype html><p>the previous complete report</p>\n");
    expect(readdirSync(out)).toEqual(["report.html"]);
  });

  it("a disk that fills up while a table is written puts no file in place", async () => {
    const out = tmp();
    diskFull.match = /coverage\.csv/;
    try {
      await expect(assess({ policeUk: policeUkFixtures, out, quiet: true })).rejects.toMatchObject({ code: "ENOSPC" });
    } finally {
      diskFull.match = null;
    }
    expect(readdirSync(out)).toEqual([]);
  });
});

describe("the command line on bad input (item 7)", () => {
  it("--areas-label ../../evil names files inside --out, and nothing is written outside it (7a)", async () => {
    const root = tmp();
    const out = join(root, "a", "b", "out");
    const result = await assess({
      policeUk: [join(charnwoodFolder, "2021-04-leicestershire-street-excl-leicester-city.csv.gz")],
      area: "Charnwood",
      areas: wards,
      areasKey: "cmwd11nm",
      areasLabel: "../../evil",
      out,
      quiet: true,
    });
    expect(result.files.filter((f) => f.includes("evil") && !f.startsWith("figure-"))).toEqual(["hotspots-evils.csv", "hotspots-evils.geojson"]);
    const everything = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? everything(join(dir, e.name)) : [relative(root, join(dir, e.name))]));
    expect(everything(root).sort()).toEqual([...result.files, "report.html"].map((f) => join("a", "b", "out", f)).sort());
    // The label is still the report's word for the areas (escaped as text).
    expect(readFileSync(result.report, "utf8")).toContain("incidents by ../../evil");
  });

  it("an unknown option or a missing option value is one line on stderr and exit code 1, never a stack trace (7c)", () => {
    const cases: [string[], string][] = [
      [["assess", "--nope"], 'community-safety: assess: options must be ones assess knows (assess --help lists the options), got "--nope" [invalid-option]\n'],
      [["assess", "--quiet", "--out"], "community-safety: assess: --out must be followed by a value (assess --help lists the options), got nothing [invalid-option]\n"],
      [["assess", "--out", "--quiet"], "community-safety: assess: --out must be followed by a value (assess --help lists the options), got another option [invalid-option]\n"],
      [["assess", "--quiet=yes"], "community-safety: assess: --quiet must be given without a value (assess --help lists the options), got a value [invalid-option]\n"],
    ];
    // A file that cannot be read is a system error, also one line (the stack is kept for bugs only).
    const missing = join(tmp(), "no-such-plan.json");
    cases.push([["assess", "--quiet", "--out", tmp(), "--targets", missing], `community-safety: ENOENT: no such file or directory, open '${missing}' [ENOENT]\n`]);
    for (const [args, stderr] of cases) {
      const r = cli(args);
      expect({ args, status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ args, status: 1, stderr, stdout: "" });
    }
  });

  it("a header-only police.uk file is refused with one line saying there is nothing to assess, and no report (7d)", async () => {
    const file = headerOnlyPoliceUk();
    const out = tmp();
    await expect(assess({ policeUk: [file], out, quiet: true })).rejects.toThrow(
      new InputError("empty-input", "assess: the input must hold at least one incident, got none (0 data rows in 1 file): there is nothing to assess"),
    );
    expect(existsSync(join(out, "report.html"))).toBe(false);
    const r = cli(["assess", "--police-uk", file, "--out", tmp(), "--quiet"]);
    expect([r.status, r.stderr]).toEqual([1, "community-safety: assess: the input must hold at least one incident, got none (0 data rows in 1 file): there is nothing to assess [empty-input]\n"]);
  });

  it("a header-only --input file is refused the same way (7d)", async () => {
    const dir = tmp();
    const file = join(dir, "chicago-header-only.csv");
    writeFileSync(file, "date,loc_cat,longitude,latitude,district\n");
    const out = join(dir, "out");
    await expect(assess({ input: [file], preset: "chicago", out, quiet: true })).rejects.toThrow(
      new InputError("empty-input", "assess: the input must hold at least one incident, got none (0 data rows in 1 file): there is nothing to assess"),
    );
    expect(readdirSync(out)).toEqual([]);
  });

  it("an area polygon holding no incident is refused the same way, not reported empty (7d)", async () => {
    // The fixture's incidents lie in Charnwood (Loughborough), none in Melton.
    const out = tmp();
    await expect(
      assess({ policeUk: [policeUkFixtures[0]], boundary: dataPath("geography-leicestershire", "leicestershire-csp-2021.geojson"), boundaryKey: "AREANM", area: "Melton", out, quiet: true }),
    ).rejects.toThrow(new InputError("empty-input", 'assess: the area must hold at least one incident, got none inside "Melton" in leicestershire-csp-2021.geojson: there is nothing to assess'));
    expect(readdirSync(out)).toEqual([]);
  });

  it("input whose every row is rejected is refused, naming the reasons (7d)", async () => {
    const dir = tmp();
    const file = join(dir, "2021-03-leicestershire-street.csv");
    const header = readFileSync(policeUkFixtures[0], "utf8").split(/\r?\n/)[0];
    writeFileSync(file, `${header}\nabc,2021-03,Leicestershire Police,Leicestershire Police,0.000000,0.000000,On or near X,E01025670,Charnwood 022A,Burglary,,\n`);
    await expect(assess({ policeUk: [file], out: join(dir, "out"), quiet: true })).rejects.toThrow(
      new InputError("empty-input", "assess: the input must hold at least one incident, got none (1 data row in 1 file, all rejected: 1 null-island): there is nothing to assess"),
    );
  });
});

describe("figures do not depend on the time zone (item 7e)", () => {
  it("renderSvg puts a month key on its own month in São Paulo (vitest's zone): a temporal axis is UTC", async () => {
    expect(process.env.TZ).toBe("America/Sao_Paulo");
    const svg = await renderSvg({
      width: 300,
      data: { values: [{ month: "2021-04", n: 1 }, { month: "2021-05", n: 3 }, { month: "2021-06", n: 2 }] },
      mark: "line",
      // No scale given: renderSvg makes it UTC. Before, the axis read "from March 2021 to May 2021".
      encoding: { x: { field: "month", type: "temporal", axis: { format: "%b %Y" } }, y: { field: "n", type: "quantitative" } },
    });
    expect(svg).toContain('aria-label="X-axis titled \'month\' for a utc scale with values from April 2021 to June 2021"');
    expect(svg).toContain(">Apr 2021</text>");
    expect(svg).not.toContain(">Mar 2021</text>");
  });

  it("the synthetic borough's report draws the same 16 SVG figures under TZ=UTC and TZ=Asia/Tokyo", async () => {
    const [utc, tokyo] = [tmp(), tmp()];
    const runs = await Promise.all([cliAsync(["assess", "--out", utc, "--quiet"], { TZ: "UTC" }), cliAsync(["assess", "--out", tokyo, "--quiet"], { TZ: "Asia/Tokyo" })]);
    expect(runs).toEqual([{ status: 0, stderr: "" }, { status: 0, stderr: "" }]);
    const a = svgsOf(readFileSync(join(utc, "report.html"), "utf8"));
    const b = svgsOf(readFileSync(join(tokyo, "report.html"), "utf8"));
    expect(a.length).toBe(16);
    expect(b.length).toBe(16);
    for (let k = 0; k < a.length; ++k) expect({ figure: k, svg: b[k] }).toEqual({ figure: k, svg: a[k] });
    // The monthly figures start in April 2019 in both (the synthetic borough's first financial
    // year): incidents per month by source, each source against its average month, the trends
    // panels and the XmR chart.
    expect(a.filter((s) => s.includes("X-axis for a utc scale with values from April 2019 to March 2022")).length).toBe(4);
  });
});

describe("GeoJSON given on the command line", () => {
  it("a deeply nested or malformed --areas / --boundary file is one clear error naming the option and the file", async () => {
    const dir = tmp();
    const deep = join(dir, "deep.geojson");
    writeFileSync(deep, "[".repeat(100000) + "]".repeat(100000));
    const bad = join(dir, "bad.geojson");
    writeFileSync(bad, '{"type": "FeatureCollection", "features": [');
    const files = policeUkFixtures;
    await expect(assess({ policeUk: files, areas: deep, areasKey: "name", out: tmp(), quiet: true })).rejects.toThrow("assess: --areas must be GeoJSON nested at most 32 levels deep, got 100000 levels in deep.geojson");
    await expect(assess({ policeUk: files, boundary: bad, out: tmp(), quiet: true })).rejects.toThrow(/^assess: --boundary must be a GeoJSON file, got text that is not JSON in bad\.geojson \(/);
  });
});
