import { PRECISIONS, coverage, levels, type IncidentTable, type IngestSummary, type Period, type Rejection } from "@community-safety/core";
import { firstOrder, tallyCodes } from "./row-tally.js";
import { htmlTable, fmtInt, fmtPct, escapeHtml, type Section } from "../report/html.js";
import { renderSvg } from "../report/figures.js";
import { coverageStripFigure, rejectedReasonsFigure, type CoverageStripRow } from "@community-safety/figures";
import type { OutputFile } from "./output.js";
import { DisclosureContext } from "../report/public-outputs.js";
import { sourceLabel } from "./levels-section.js";
import { monthRuns, type ReportCalendar } from "./report-calendar.js";

/** What each rejection reason means, for a board reader. */
export const REASON_TEXT: Record<string, string> = {
  "ragged-row": "the row has a different number of fields from the header (a broken line)",
  "unterminated-quote": "the file ends inside a quoted field",
  "missing-value": "a required field is blank",
  "invalid-date": "the date cannot be read",
  "invalid-coordinate": "a coordinate is not a number in range",
  "null-island": "coordinates are 0,0 — a missing location written as zero",
  "outside-bounds": "the point lies outside the country or study area",
  "far-outside-area": "police.uk snap point geocoded far from the force (e.g. London or York for Leicestershire)",
  suppressed: "the source suppressed time and place for privacy",
  "unknown-category": "the crime type is not a known category",
  "duplicate-id": "the same crime was published again in a later month; the latest record is kept",
  "invalid-value": "a value cannot be read",
  "outside-window": "the record falls outside the extract window declared for the file",
};

/** Where the area filter left rows. */
export interface AreaFilterInfo {
  description: string;
  inArea: number;
  outside: number;
  noLocation: number;
}

/** Where `assess --public` puts the disclosure summary (the rule and what was withheld) once every section is built. */
export const DISCLOSURE_SUMMARY_MARK = "<!--disclosure-summary-->";

/** Columns of rejected.csv; under `--public` without `value` and `message`, which quote the raw values. */
const REJECTED_COLUMNS = ["file", "row", "line", "field", "value", "reason", "message"] as const;
const REJECTED_PUBLIC_COLUMNS = ["file", "row", "line", "field", "reason"] as const;

export async function dataQualitySection(
  input: { summary: IngestSummary; rejected: readonly Rejection[]; table: IncidentTable; sourceDescription: string; calendar: ReportCalendar; thin?: readonly Period[] },
  area: AreaFilterInfo | null,
  dc: DisclosureContext = new DisclosureContext(null),
): Promise<{ section: Section; files: OutputFile[] }> {
  const { summary, rejected, table } = input;
  const marked = dc.active;
  const cov = await coverageHtml(table, input.calendar, input.thin ?? [], dc);
  const reasons = Object.entries(summary.byReason).sort((a, b) => b[1] - a[1]);
  const lead = `${fmtInt(summary.rows)} input rows were read from ${summary.files.length} file${summary.files.length === 1 ? "" : "s"}: ${fmtInt(summary.accepted)} accepted and ${fmtInt(summary.rejected)} rejected (${fmtPct(summary.rows ? summary.rejected / summary.rows : 0, 2)}). Every row is accounted for: ${fmtInt(summary.rows)} = ${fmtInt(summary.accepted)} + ${fmtInt(summary.rejected)}.`;
  let html = `<p class="lead">${escapeHtml(lead)}</p><p class="note">Source: ${escapeHtml(input.sourceDescription)}</p>`;
  html += reasons.length
    ? htmlTable(reasons, [
        { header: "Reason", value: (r) => r[0] },
        { header: "Rows", value: (r) => r[1], format: fmtInt, numeric: true, kind: "other" },
        { header: "Meaning", value: (r) => REASON_TEXT[r[0]] ?? "" },
      ], "Rejected rows by reason", marked)
    : "<p>No rows were rejected.</p>";
  const notes = Object.entries(summary.notes).filter(([, n]) => n > 0);
  const policeUk = summary.files.length > 0 && "blankCrimeId" in summary.notes;
  const NOTE_TEXT: Record<string, string> = {
    noLocation: policeUk
      ? "accepted with no location (police.uk “No Location”): counted in totals, never placed in an area"
      : "accepted with no point: counted in totals, never placed on a map or in an area drawn from points",
    areaOnly: "accepted with an area but no point: counted in their area's totals and rates, never placed on a map",
    blankStreet: "accepted with a blank street name (“On or near ” with nothing after it)",
    blankCrimeId: "crimes with a blank Crime ID (cannot be de-duplicated)",
    dateWindow: "accepted with a from–to time window rather than one time: shared over the hours they span in the time-of-week picture (aoristic)",
    unmappedCategory: "accepted with a category the mapping does not list, kept under its own name",
    coarserTime: "accepted with a date but no time: counted by day, month and year, never placed on an hour",
  };
  if (notes.length) {
    html += htmlTable(notes, [
      { header: "Accepted rows worth knowing about", value: (r) => NOTE_TEXT[r[0]] ?? r[0] },
      { header: "Rows", value: (r) => r[1], format: fmtInt, numeric: true, kind: "other" },
    ], undefined, marked);
  }
  if (area) {
    // Under --public each count is protected on its own (a small one reads "fewer than 5").
    const n = (v: number) => {
      const c = dc.count(v);
      return c === null ? `fewer than ${dc.threshold}` : fmtInt(c);
    };
    html += `<p>${escapeHtml(area.description)}: ${n(area.inArea)} accepted incidents fall in the area; ${n(area.outside)} lie elsewhere in the input and ${n(area.noLocation)} have no location, so cannot be placed in any area (they count only in the whole-input totals).</p>`;
  }
  html += cov.html;
  // Precision and source mix of what is analysed.
  // Tallied by code (row-tally.ts: no row loop in this function), listed in order of first row as before.
  const byPrecision = tallyCodes(table.precision, PRECISIONS.length);
  const precision = new Map<string, number>(firstOrder(byPrecision).map((c) => [PRECISIONS[c], byPrecision.counts[c]]));
  const bySource = tallyCodes(table.source.codes, table.source.values.length);
  const sources = new Map<string, number>(firstOrder(bySource).map((c) => [table.source.values[c] ?? "(none)", bySource.counts[c]]));
  // Counts of incidents by precision and by source: protected under --public (one dimension each).
  const precisionCaption = "Timing precision of the incidents analysed";
  const precisionRows = dc.protect(
    precisionCaption,
    [...precision].sort((a, b) => PRECISIONS.indexOf(a[0] as never) - PRECISIONS.indexOf(b[0] as never)).map(([p, n]) => ({ precision: p, incidents: n })),
    { kind: "counts", counts: ["incidents"], dimensions: ["precision"] },
  );
  html += dc.table(precisionCaption, precisionRows, [
    { header: "Time known to the", value: (r) => r.precision },
    { header: "Incidents", value: (r) => r.incidents, format: fmtInt, numeric: true, kind: "count" },
  ], precisionCaption);
  if (precision.has("month")) {
    html += `<p class="note">Month-precision records${policeUk ? " (police.uk publishes the month only)" : ""} are counted in months, quarters and years, but never placed on a day, weekday or hour.</p>`;
  }
  const sourcesCaption = "Incidents by source";
  const sourceRows = dc.protect(sourcesCaption, [...sources].sort((a, b) => b[1] - a[1]).map(([source, n]) => ({ source, incidents: n })), { kind: "counts", counts: ["incidents"], dimensions: ["source"] });
  html += dc.table(sourcesCaption, sourceRows, [
    { header: "Source", value: (r) => sourceLabel(r.source === "(none)" ? null : r.source) },
    { header: "Incidents", value: (r) => r.incidents, format: fmtInt, numeric: true, kind: "count" },
  ], sourcesCaption);
  if (reasons.length) {
    const svg = await renderSvg(rejectedReasonsFigure(reasons.map(([reason, n]) => ({ reason, n }))));
    html += `<figure${dc.figure([])}>${svg}<figcaption>Rejected rows by reason (rejected.csv lists every one with its file, row, line and field).</figcaption></figure>`;
  }
  const shown = rejected.slice(0, 30);
  if (shown.length) {
    // Under --public the raw values are not published: the value and the message (which quotes it).
    const raw = dc.active
      ? []
      : [
          { header: "Value", value: (r: Rejection) => (r.value ?? "").slice(0, 40) },
          { header: "Reason", value: (r: Rejection) => r.reason },
          { header: "Message", value: (r: Rejection) => r.message },
        ];
    html += `<details><summary>First ${shown.length} of ${fmtInt(rejected.length)} rejected rows</summary>${htmlTable(shown, [
      { header: "File", value: (r) => r.file },
      { header: "Row", value: (r) => r.row, numeric: true, kind: "other" },
      { header: "Line", value: (r) => r.line, numeric: true, kind: "other" },
      { header: "Field", value: (r) => r.field ?? "" },
      ...(dc.active ? [{ header: "Reason", value: (r: Rejection) => r.reason }] : raw),
    ], undefined, marked)}</details>`;
  }
  html += `<details><summary>Reconciliation by file (${summary.files.length})</summary>${htmlTable(summary.files, [
    { header: "File", value: (f) => f.file },
    { header: "Rows", value: (f) => f.rows, format: fmtInt, numeric: true, kind: "other" },
    { header: "Accepted", value: (f) => f.accepted, format: fmtInt, numeric: true, kind: "other" },
    { header: "Rejected", value: (f) => f.rejected, format: fmtInt, numeric: true, kind: "other" },
  ], undefined, marked)}</details>`;
  if (dc.active) html += DISCLOSURE_SUMMARY_MARK;
  const rejectedColumns = dc.active ? REJECTED_PUBLIC_COLUMNS : REJECTED_COLUMNS;
  return {
    section: { id: "data-quality", title: "Data quality", html },
    files: [
      {
        name: "rejected.csv",
        rows: rejected.map((r) => (dc.active ? { file: r.file, row: r.row, line: r.line, field: r.field, reason: r.reason } : { ...r })),
        columns: rejectedColumns,
        disclosure: { kind: "not-disclosive", reason: dc.active ? "one line per rejected input row (file, row, line, field, reason), without the raw value or the message quoting it" : "one line per rejected input row; under --public without the raw value and message" },
      },
      { name: "files.csv", rows: summary.files.map((f) => ({ ...f })), disclosure: { kind: "not-disclosive", reason: "input rows read, accepted and rejected per file: the processing of the files, not incidents by type, place or time" } },
      { name: "coverage.csv", rows: cov.rows, disclosure: { kind: "not-disclosive", reason: "the time spans each source covers (dates and days), no counts" } },
    ],
  };
}

/**
 * What time the data cover, per source: a sentence per source naming every gap, a strip of
 * months (shaded by the month's count where covered, grey where not), and the months with
 * implausibly few records that the report leaves out of its coverage.
 */
async function coverageHtml(table: IncidentTable, cal: ReportCalendar, thin: readonly Period[], dc: DisclosureContext): Promise<{ html: string; rows: Record<string, unknown>[] }> {
  const cov = coverage(table);
  let html = `<h3>Time covered</h3><p class="lead">${escapeHtml(cov.sentence)} ${cov.gaps.length ? "Months in a gap are unknown, not zero: no count, series, trend or comparison in this report runs through them." : ""}</p>`;
  html += htmlTable(cov.sources, [
    { header: "Source", value: (r) => sourceLabel(r.source) + (r.area ? ` (${r.area})` : "") },
    { header: "Covered", value: (r) => r.spans.map((q) => q.label).join(", ") },
    { header: "Gaps", value: (r) => (r.gaps.length ? r.gaps.map((g) => `${g.label} (${g.months ?? Math.round(g.days) + " days"}${g.months !== null ? ` month${g.months === 1 ? "" : "s"}` : ""})`).join("; ") : "none") },
    { header: "How it is known", value: (r) => r.note },
  ], "Coverage by source");
  const rows: Record<string, unknown>[] = [];
  for (const src of cov.sources) {
    for (const q of src.spans) rows.push({ source: src.source, area: src.area, status: "covered", from: new Date(q.start * 60000).toISOString(), to: new Date(q.end * 60000).toISOString(), label: q.label, days: q.days, basis: src.basis });
    for (const q of src.gaps) rows.push({ source: src.source, area: src.area, status: "gap", from: new Date(q.start * 60000).toISOString(), to: new Date(q.end * 60000).toISOString(), label: q.label, days: q.days, basis: src.basis });
  }
  if (table.length === 0) return { html, rows };
  // The strip: one row per source, one cell per month.
  const monthly = levels(table, { by: ["period", "source"], periods: "month", coarse: "exclude", fyStartMonth: cal.fyStartMonth });
  // Under --public the strip's counts are a month × source table like any other; a withheld one is drawn as "count withheld".
  const stripName = "Months covered by each source (figure)";
  const cells = dc
    .protect(stripName, monthly.rows.map((r) => ({
      month: String(r.period),
      source: sourceLabel(r.source as string | null),
      count: r.count,
      status: r.coverage === null || r.coverage <= 0 ? "not covered" : r.coverage < 1 ? "partly covered" : "covered",
    })), { kind: "counts", counts: ["count"], dimensions: ["month", "source"], other: { status: "whether the data cover the month" } })
    .map((c) => (c.status === "covered" && c.count === null ? { ...c, status: "count withheld" } : c));
  if (thin.length) {
    html += `<p class="note"><b>Months with implausibly few records, treated as not covered:</b> ${escapeHtml(`${monthRuns(thin)} hold under a tenth of the records of a busy month (the median of the busiest quarter of months). Poisson chance almost never gives so few, so the extract is probably incomplete there; they are left out like a gap, so no count, comparison or trend in this report rests on them.`)}</p>`;
  }
  const svg = await renderSvg(coverageStripFigure(cells as CoverageStripRow[], { withheld: dc.active }));
  html += `<figure${dc.figure(["incidents"])}>${svg}<figcaption>Each cell is a month: blue where the source covers it (darker = more incidents), grey where it does not (a gap between downloads, or before or after the extract). How each source's coverage is known is in the table above.${dc.active ? ` Sand: a covered month whose count is withheld for small numbers. ${dc.tallyWords(dc.tallies.find((t) => t.name === stripName)!)}` : ""}</figcaption></figure>`;
  return { html, rows };
}
