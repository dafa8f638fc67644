// A partner's module, as written in a project that installed the packed tarballs: the
// browser-safe API of core, geo and trends (no Node APIs). test/packaging/consumer.test.ts
// copies it into a throwaway project outside the workspace, type-checks it there, runs it in
// Node from the built JavaScript, and bundles it for the browser with esbuild.
import {
  InputError,
  change,
  incidentRows,
  levels,
  readPoliceUk,
  type ChangeResult,
  type IncidentRow,
  type LevelsResult,
} from "@community-safety/core";
import { getisOrdGiStar, streetCounts, type GetisOrdGiStarResult, type StreetCountsResult } from "@community-safety/geo";
import { countSeries, stl, type CountSeriesResult, type StlResult } from "@community-safety/trends";

/** The esda six-point Gi* example (PySAL `G_Local` docs). */
export interface SixPoints {
  values: number[];
  x: number[];
  y: number[];
  band: number;
}

/** Plain data only (JSON-safe), so Node, a vm context and a browser page can be compared. */
export interface Summary {
  rows: number;
  accepted: number;
  total: number;
  counts: Record<string, number>;
  categories: (string | null)[];
  topStreet: string | null;
  streets: number;
  monthly: number[];
  change: { category: string; previous: number; current: number }[];
  stlClosure: number;
  giStarZ: number[];
  errorCode: string | null;
}

/** Reads police.uk CSV texts (March, April 2021) and runs one function of each package on them. */
export function summarise(march: string, april: string, six: SixPoints): Summary {
  const ingest = readPoliceUk([{ name: "2021-03.csv", text: march }]);
  const rows: IncidentRow[] = incidentRows(ingest.table);
  const byCategory: LevelsResult = levels(ingest.table);
  const streets: StreetCountsResult = streetCounts(ingest.table);

  const both = readPoliceUk([
    { name: "2021-03.csv", text: march },
    { name: "2021-04.csv", text: april },
  ]);
  const monthly: CountSeriesResult = countSeries(both.table, { unit: "month" });
  const changed: ChangeResult = change(both.table, "2021-03", "2021-04");

  // Three years of a seasonal monthly series: the parts of an STL fit add back up to the data.
  const series = Array.from({ length: 36 }, (_, i) => 100 + i + 20 * Math.sin((2 * Math.PI * i) / 12));
  const fit: StlResult = stl(series, { period: 12, seasonalWindow: "periodic" });
  let stlClosure = 0;
  for (let i = 0; i < series.length; ++i) stlClosure = Math.max(stlClosure, Math.abs(fit.seasonal[i] + fit.trend[i] + fit.remainder[i] - series[i]));

  const gi: GetisOrdGiStarResult = getisOrdGiStar(six.values, { x: six.x, y: six.y, distance: six.band });

  // The error class must be the one the other packages throw (one copy of core installed).
  let errorCode: string | null = null;
  try {
    levels(ingest.table, { perResidents: -1 });
  } catch (e) {
    if (e instanceof InputError) errorCode = e.code;
  }

  return {
    rows: ingest.summary.rows,
    accepted: ingest.summary.accepted,
    total: byCategory.total,
    counts: Object.fromEntries(byCategory.rows.map((r) => [String(r.category), r.count])),
    categories: rows.map((r) => r.category),
    topStreet: streets.rows[0]?.name ?? null,
    streets: streets.rows.length,
    monthly: Array.from(monthly.series[0].counts),
    change: changed.rows.map((r) => ({ category: String(r.category), previous: r.previous, current: r.current })),
    stlClosure,
    giStarZ: Array.from(gi.z),
    errorCode,
  };
}
