// Independent checks of a folder written by \`assess --public\` (used by test/cli/public-outputs.test.ts,
// and by hand on any report folder: \`npx tsx test/helpers/public-check.ts <folder>\`): which
// columns hold counts is listed here, not taken from the report's own disclosure specs.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { csvParse } from "d3-dsv";

export const THRESHOLD = 5;
export const small = (v: number) => v > 0 && v < THRESHOLD;

/** Count columns of each CSV (a count of incidents, or a mean or fractional weight of them). */
export const COUNT_COLUMNS: Record<string, readonly string[]> = {
  "change-year-on-year.csv": ["previous", "current"],
  "change-financial-year-to-date.csv": ["previous", "current"],
  "hotspots-streets.csv": ["count"],
  "hotspots-grid.csv": ["count"],
  "hotspots-wards.csv": ["count"],
  "hotspots-beats.csv": ["count"],
  "levels-financial-year-category.csv": ["count"],
  "levels-month-source.csv": ["count"],
  "levels-district-rates.csv": ["count"],
  "peer-funnel.csv": ["count"],
  "targets-progress.csv": ["actual", "baselineToDate", "baseline"],
  "targets-series.csv": ["actual", "cumulativeActual", "baseline"],
  "trends-exceptional-dates.csv": ["count", "previousMean"],
  "trends-monthly-tests.csv": ["total"],
  "trends-seasonal-profile.csv": ["meanCount"],
  "trends-time-of-week.csv": ["weight"],
  "trends-xmr.csv": ["value"],
  "sources-by-area.csv": ["count"],
  "sources-monthly.csv": ["count"],
};

/**
 * Numeric columns that are not counts of incidents (so may hold 1–4): statistics, residents,
 * days, coordinates, ranks, input rows per file. A numeric column in neither list fails the test.
 */
export const NOT_COUNTS = new Set([
  // change: differences, ratios and tests (withheld with their counts when those are)
  "previousDays", "currentDays", "change", "percentChange", "rateRatio", "lower", "upper", "pValue", "eTestPValue", "poissonZ",
  // places and grids: coordinates, ranks, shares, statistics
  "rank", "points", "x", "y", "x2", "y2", "lon", "lat", "sharePercent", "cumulativeSharePercent", "share50Percent", "z", "q", "kdePerKm2",
  // levels and peers: residents, rates, coverage, expected counts from the group rate
  "population", "rate", "coveragePercent", "expected", "lower998", "upper998",
  // targets: the plan's numbers and statistics
  "baselineCoveragePercent", "size", "target", "monthsElapsed", "monthsInPeriod", "percentVsBaseline", "changePValue", "behindPValue", "projected", "projectedLower", "projectedUpper", "probabilityMetPercent", "monthIndex", "trajectory",
  // trends: statistics
  "year", "ratio", "excluded", "months", "senPerYear", "senLower", "senUpper", "mannKendallZ", "mannKendallP", "seasonalMannKendallP", "month", "meanDailyRate", "index", "centre", "hour",
  // data quality: input rows, days covered
  "row", "line", "rows", "accepted", "rejected", "blankLines", "days",
  // rank correlations between sources: pairs used, ρ
  "n", "rho",
  // calendar-year period keys ("2019")
  "period", "previousPeriod", "currentPeriod", "previousWindow", "currentWindow", "years",
  // area names and codes (numbered districts, beats)
  "area",
]);

/** hotspots-<label>s.csv / .geojson from --areas (wards, beats, districts): one count per area. */
const AREAS_FILE = /^hotspots-(?!streets|grid|gistar|densest|emerging)[a-z0-9-]+s\.(csv|geojson)$/;

/** Count properties of each GeoJSON file's features. */
export const GEOJSON_COUNTS: Record<string, readonly string[]> = {
  "hotspots-streets.geojson": ["count"],
  "hotspots-gistar.geojson": ["count"],
  "hotspots-densest-1km.geojson": ["count", "total"],
  "hotspots-wards.geojson": ["count"],
  "hotspots-beats.geojson": ["count"],
  "hotspots-emerging.geojson": [],
};

const metres = (x: unknown, y: unknown) => `m ${Number(x).toFixed(2)} ${Number(y).toFixed(2)}`;
const degrees = (lon: unknown, lat: unknown) => `d ${Number(lon).toFixed(6)} ${Number(lat).toFixed(6)}`;

/** Every [a, b] position in a GeoJSON geometry's coordinates. */
function positions(v: unknown, into: [number, number][] = []): [number, number][] {
  if (Array.isArray(v) && v.length >= 2 && typeof v[0] === "number" && typeof v[1] === "number") into.push([v[0], v[1]]);
  else if (Array.isArray(v)) for (const x of v) positions(x, into);
  return into;
}

/**
 * Every point written in a folder, as keys of a set: x/y (metres, to the cm) and lon/lat (degrees,
 * to 1e-6) pairs of CSV rows and GeoJSON properties, GeoJSON geometry positions, and the x/y of
 * report.html's figure marks (aria-labels), with any thousands separators removed.
 */
export function publishedPoints(dir: string): Set<string> {
  const seen = new Set<string>();
  for (const f of readdirSync(dir)) {
    const text = readFileSync(join(dir, f), "utf8");
    const props = (r: Record<string, unknown>) => {
      if (r.x !== undefined && r.x !== "" && r.y !== undefined && r.y !== "") seen.add(metres(r.x, r.y));
      if (r.lon !== undefined && r.lon !== "" && r.lat !== undefined && r.lat !== "") seen.add(degrees(r.lon, r.lat));
    };
    if (f.endsWith(".csv")) for (const row of csvParse(text)) props(row);
    else if (f.endsWith(".geojson")) {
      const fc = JSON.parse(text) as { features: { properties: Record<string, unknown> | null; geometry: { coordinates?: unknown } | null }[] };
      for (const feat of fc.features) {
        props(feat.properties ?? {});
        for (const [a, b] of positions(feat.geometry?.coordinates)) seen.add(degrees(a, b));
      }
    } else {
      for (const m of text.matchAll(/aria-label="([^"]*)"/g)) {
        const kv = new Map(m[1].split(";").map((p) => p.split(":").map((x) => x.trim().replace(/,/g, "")) as [string, string]));
        if (kv.has("x") && kv.has("y")) seen.add(metres(kv.get("x"), kv.get("y")));
      }
    }
  }
  return seen;
}

/** The problems found in one public folder: small counts in any count cell, HTML count cell or figure, and unlisted numeric columns. */
export function smallCountProblems(dir: string): string[] {
  const problems: string[] = [];
  for (const f of readdirSync(dir)) {
    const text = readFileSync(join(dir, f), "utf8");
    if (f.endsWith(".csv")) {
      const rows = csvParse(text);
      const counts = COUNT_COLUMNS[f] ?? (AREAS_FILE.test(f) ? ["count"] : []);
      for (const c of rows.columns) {
        const numeric = rows.some((r) => r[c] !== "" && r[c] !== undefined && Number.isFinite(Number(r[c])));
        if (numeric && !counts.includes(c) && !NOT_COUNTS.has(c)) problems.push(`${f}: numeric column ${c} is not classified by this test`);
      }
      rows.forEach((r, i) => {
        for (const c of counts) if (r[c] !== "" && small(Number(r[c]))) problems.push(`${f} row ${i + 1}: ${c} = ${r[c]}`);
      });
    } else if (f.endsWith(".geojson")) {
      const geoCounts = GEOJSON_COUNTS[f] ?? (AREAS_FILE.test(f) ? ["count"] : undefined);
      if (!geoCounts) problems.push(`${f}: not classified by this test`);
      const fc = JSON.parse(text) as { features: { properties: Record<string, unknown> }[] };
      fc.features.forEach((feat, i) => {
        for (const c of geoCounts ?? []) {
          const v = feat.properties[c];
          if (typeof v === "number" && small(v)) problems.push(`${f} feature ${i}: ${c} = ${v}`);
        }
      });
    } else if (f === "report.html") {
      // Table cells marked as counts.
      for (const m of text.matchAll(/<td[^>]*data-kind="count"[^>]*>([^<]*)<\/td>/g)) {
        const v = Number(m[1].replace(/,/g, "").replace(/\*$/, ""));
        if (m[1] !== "–" && small(v)) problems.push(`report.html: count cell "${m[1]}"`);
      }
      // Figures: the aria-label fields each figure declares as counts.
      for (const fig of text.matchAll(/<figure([^>]*)>([\s\S]*?)<\/figure>/g)) {
        const fields = /data-count-fields="([^"]*)"/.exec(fig[1])?.[1]?.split("|").filter(Boolean) ?? [];
        if (!/data-count-fields=/.test(fig[1])) problems.push("report.html: a figure without data-count-fields");
        for (const label of fig[2].matchAll(/aria-label="([^"]*)"/g)) {
          for (const part of label[1].split(";")) {
            const kv = /^\s*([^:]+):\s*(.*)$/.exec(part);
            if (!kv || !fields.includes(kv[1].trim())) continue;
            const v = Number(kv[2].replace(/,/g, ""));
            if (small(v)) problems.push(`report.html figure: ${label[1].slice(0, 120)}`);
          }
        }
      }
      // Sentences: "3 incidents", "1 crime", "2 offences".
      const words = text.replace(/<[^>]+>/g, " ");
      for (const m of words.matchAll(/(?<![\d.,–-])([1-4]) (incidents?|crimes?|offences?|burglar(?:y|ies)|robber(?:y|ies))\b/g)) problems.push(`report.html sentence: "…${words.slice(Math.max(0, m.index! - 60), m.index! + 30)}…"`);
    }
  }
  return problems;
}

/** The exact points (x, y and lon, lat) of street rows with a small count, less points a published street shares. */
export function smallCountPoints(dir: string): { x: number; y: number; lon: number; lat: number }[] {
  const rows = csvParse(readFileSync(join(dir, "hotspots-streets.csv"), "utf8"));
  const key = (r: Record<string, string>) => `${Number(r.x).toFixed(3)} ${Number(r.y).toFixed(3)}`;
  const published = new Set(rows.filter((r) => Number(r.count) >= THRESHOLD).map(key));
  return rows
    .filter((r) => small(Number(r.count)) && r.x !== "" && !published.has(key(r)))
    .map((r) => ({ x: Number(r.x), y: Number(r.y), lon: Number(r.lon), lat: Number(r.lat) }));
}

export function leaks(points: { x: number; y: number; lon: number; lat: number }[], published: Set<string>): string[] {
  return points.filter((p) => published.has(metres(p.x, p.y)) || published.has(degrees(p.lon, p.lat))).map((p) => `${p.x}, ${p.y}`);
}

// By hand: the problems in each folder named on the command line.
if (process.argv[1] && import.meta.url === (await import("node:url")).pathToFileURL(process.argv[1]).href) {
  for (const dir of process.argv.slice(2)) {
    const problems = smallCountProblems(dir);
    process.stdout.write(`${dir}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n${problems.slice(0, 15).map((p) => `  ${p}\n`).join("")}`);
  }
}
