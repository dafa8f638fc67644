/**
 * Columns that hold a proportion (0.148 = 14.8%) in the analysis rows, and the name each is
 * written under in the report's CSV files, as a percentage.
 */
export const PERCENT_COLUMNS: Readonly<Record<string, string>> = {
  share: "sharePercent",
  cumulativeShare: "cumulativeSharePercent",
  share50: "share50Percent",
  percentChange: "percentChange",
  percentFromAverage: "percentFromAverage",
  percentVsBaseline: "percentVsBaseline",
  coverage: "coveragePercent",
  baselineCoverage: "baselineCoveragePercent",
  probabilityMet: "probabilityMetPercent",
};

/** Columns renamed to say their unit. */
const UNIT_NAMES: Readonly<Record<string, string>> = { kde: "kdePerKm2" };

/**
 * Rows as the report writes them to CSV, so a spreadsheet reader cannot misread a unit:
 * proportions become percentages under a name that says so (`share` 0.148 → `sharePercent`
 * 14.8; `percentChange` −0.148 → −14.8), kernel density is named per km², and a table with
 * projected coordinates (`x`, `y`) gets a `crs` column naming their CRS ("EPSG:27700").
 * Values are rounded to 12 significant digits when written (`toCsv`). The analysis rows (and
 * the API) keep proportions as fractions.
 *
 * @example
 * presentCsv([{ category: "burglary", share: 0.148, x: 452714.1, y: 319517 }], { crs: "EPSG:27700" })
 * // => { rows: [{ category: "burglary", sharePercent: 14.8, x: 452714.1, y: 319517, crs: "EPSG:27700" }], columns: [...] }
 */
export function presentCsv(rows: readonly Record<string, unknown>[], options: { columns?: readonly string[]; crs?: string } = {}): { rows: Record<string, unknown>[]; columns: string[] } {
  const given = options.columns ?? (rows.length ? Object.keys(rows[0]) : []);
  const withCrs = options.crs !== undefined && given.includes("x") && given.includes("y") && !given.includes("crs");
  const rename = (c: string) => PERCENT_COLUMNS[c] ?? UNIT_NAMES[c] ?? c;
  const columns = [...given.map(rename), ...(withCrs ? ["crs"] : [])];
  const out = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const c of given) {
      const v = r[c];
      o[rename(c)] = c in PERCENT_COLUMNS && typeof v === "number" ? Number((100 * v).toPrecision(12)) : v;
    }
    if (withCrs) o.crs = options.crs;
    return o;
  });
  return { rows: out, columns };
}
