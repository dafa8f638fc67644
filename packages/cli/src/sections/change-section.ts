import { yearOnYear, financialYearToDateChange, categoryLabel, periodOf, timeExtent, type IncidentTable, type ChangeResult } from "@community-safety/core";
import { htmlTable, fmtInt, fmtPct, escapeHtml, type Section } from "../report/html.js";
import type { OutputFile } from "./output.js";
import { crimeCategories } from "./levels-section.js";

/** Year-on-year change for every crime type between the two latest complete financial years. */
export function changeSection(table: IncidentTable, areaName: string, latest: string | null): { section: Section; files: OutputFile[] } | null {
  if (latest === null) return null;
  const crimes = crimeCategories(table);
  const asb = table.category.values.includes("anti-social-behaviour") ? ["anti-social-behaviour"] : [];
  if (crimes.length + asb.length === 0) return null;
  const result = yearOnYear(table, latest, { categories: [...crimes, ...asb] });
  const rows = [...result.rows].sort((a, b) => (a.pValue ?? 1) - (b.pValue ?? 1));
  const significant = rows.filter((r) => r.significant && !r.smallNumbers);
  let html = `<p class="lead">${escapeHtml(`${areaName}, ${result.previous.key} to ${result.current.key}: ${significant.length} of ${rows.length} categories changed by more than chance would explain (exact Poisson test, 5% level).`)}</p>`;
  html += `<ul>${significant.slice(0, 5).map((r) => `<li>${escapeHtml(r.sentence)}</li>`).join("")}</ul>`;
  html += changeTable(rows, result, `Year-on-year change, ${areaName}`);
  html += `<p class="note">p (exact): the conditional binomial test of equal Poisson rates with each year's length in days as exposure — the same value as R's poisson.test. p (E-test): Krishnamoorthy &amp; Thomson (2004). “Small numbers”: either year has fewer than 20 incidents, so percentages swing widely.</p>`;
  const files = [{ name: "change-year-on-year.csv", rows: rows.map((r) => ({ ...r })) }];

  // Financial year to date, when the data runs into a financial year it does not finish.
  // (Only when the data also covers those months a year earlier.)
  const { firstStart: first, lastStart: last } = timeExtent(table)!; // non-empty: it has a latest year
  const lastMonth = periodOf(last, "month", { zone: table.zone });
  const ytd = lastMonth.key.endsWith("-03") ? null : financialYearToDateChange(table, lastMonth.key, { categories: [...crimes, ...asb] });
  if (ytd && ytd.previous.start >= periodOf(first, "month", { zone: table.zone }).start) {
    const ytdRows = [...ytd.rows].sort((a, b) => (a.pValue ?? 1) - (b.pValue ?? 1));
    const sig = ytdRows.filter((r) => r.significant && !r.smallNumbers);
    html += `<h3>${escapeHtml(ytd.current.label)} against the same months a year earlier</h3>`;
    html += `<p>${escapeHtml(`${sig.length} of ${ytdRows.length} categories changed by more than chance would explain.`)}</p>`;
    html += `<ul>${sig.slice(0, 5).map((r) => `<li>${escapeHtml(r.sentence)}</li>`).join("")}</ul>`;
    html += changeTable(ytdRows, ytd, `Financial year to date, ${areaName}`);
    files.push({ name: "change-financial-year-to-date.csv", rows: ytdRows.map((r) => ({ ...r })) });
  }
  return { section: { id: "change", title: "Change since last year", html }, files };
}

function changeTable(rows: ChangeResult["rows"], result: ChangeResult, caption: string): string {
  const fmtP = (v: unknown) => (typeof v !== "number" ? "–" : v < 0.001 ? "< 0.001" : v.toFixed(3));
  return htmlTable(rows, [
    { header: "Category", value: (r) => categoryLabel(String(r.category)) },
    { header: result.previous.key, value: (r) => r.previous, format: fmtInt, numeric: true },
    { header: result.current.key, value: (r) => r.current, format: fmtInt, numeric: true },
    { header: "Change", value: (r) => r.change, format: (v) => ((v as number) > 0 ? "+" : "") + fmtInt(v), numeric: true },
    { header: "% change", value: (r) => r.percentChange, format: (v, r) => (v === null ? (r.percentReason ?? "–") : ((v as number) > 0 ? "+" : "") + fmtPct(v)), numeric: true },
    { header: "Rate ratio (95% CI)", value: (r) => r.rateRatio, format: (v, r) => (v === null ? "–" : `${(v as number).toFixed(2)} (${(r.lower ?? NaN).toFixed(2)}–${Number.isFinite(r.upper) ? (r.upper as number).toFixed(2) : "∞"})`), numeric: true },
    { header: "p (exact)", value: (r) => r.pValue, format: fmtP, numeric: true },
    { header: "p (E-test)", value: (r) => r.eTestPValue, format: fmtP, numeric: true },
    { header: "", value: (r) => (r.smallNumbers ? "small numbers" : "") },
  ], caption);
}
