import { InputError, change, categoryLabel, comparePrevious, shiftPeriod, type IncidentTable, type ChangeResult, type ChangeRow, type Period } from "@community-safety/core";
import { fmtInt, fmtPct, escapeHtml, type Section, upperFirst } from "../report/html.js";
import type { OutputFile } from "./output.js";
import { DisclosureContext } from "../report/public-outputs.js";
import type { CountsDisclosure } from "../report/public-rows.js";
import { crimeCategories } from "./levels-section.js";
import { breaksTouching, type ReportCalendar } from "./report-calendar.js";
import type { Finding } from "./summary-section.js";

/**
 * Change since last year, on windows the data cover equally: the two latest wholly covered
 * reporting years when they are consecutive, and the latest year in progress against the same
 * covered months of the year before. A comparison with no equal covered window is not made,
 * and the section says why. Known breaks (COVID-19 restrictions, category and recording
 * changes) between the compared periods are named under each comparison.
 */
/** change-year-on-year.csv and change-financial-year-to-date.csv: the two windows' counts per category, with every test derived from them. */
export const CHANGE_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["previous", "current"],
  dimensions: ["category"],
  derived: ["change", "percentChange", "percentReason", "rateRatio", "lower", "upper", "pValue", "eTestPValue", "poissonZ", "significant", "smallNumbers", "sentence"],
  other: {
    label: "the category's name",
    previousDays: "days in the previous window",
    currentDays: "days in the current window",
    previousPeriod: "the period compared",
    currentPeriod: "the period compared",
    previousWindow: "the covered window compared",
    currentWindow: "the covered window compared",
    basis: "how part-covered periods were handled",
  },
};

export function changeSection(table: IncidentTable, areaName: string, cal: ReportCalendar, dc: DisclosureContext = new DisclosureContext(null)): { section: Section; files: OutputFile[]; findings: Finding[] } | null {
  if (cal.years.length === 0) return null;
  const crimes = crimeCategories(table);
  const asb = table.category.values.includes("anti-social-behaviour") ? ["anti-social-behaviour"] : [];
  const categories = [...crimes, ...asb];
  if (categories.length === 0) return null;
  const files: OutputFile[] = [];
  const findings: Finding[] = [];
  let html = "";
  const { whole, toDate, refused } = plannedComparisons(table, cal, categories);
  // The rows are protected once (under --public), and the table, the sentences and the CSV are built from them.
  if (whole) {
    const name = "change-year-on-year.csv";
    const rows = dc.protect(name, csvRows(whole), CHANGE_SPEC);
    html += comparisonHtml(whole, rows, areaName, cal, categories, `${cal.yearWord}s, both wholly covered by the data`, dc, name);
    files.push({ name, rows, disclosure: CHANGE_SPEC });
    findings.push(...changeFindings(whole, rows, cal, categories, dc));
  }
  if (toDate) {
    const name = "change-financial-year-to-date.csv";
    const rows = dc.protect(name, csvRows(toDate), CHANGE_SPEC);
    html += `<h3>${escapeHtml(`${toDate.current.key} so far (${toDate.windows.current.label}) against the same part of ${toDate.previous.key} (${toDate.windows.previous.label})`)}</h3>`;
    html += comparisonHtml(toDate, rows, areaName, cal, categories, "the same covered part of each year", dc, name);
    files.push({ name, rows, disclosure: CHANGE_SPEC });
    findings.push(...changeFindings(toDate, rows, cal, categories, dc));
  }
  const longer = longerViewHtml(table, cal, categories, dc);
  html += longer.html;
  findings.push(...longer.findings);
  if (!whole && !toDate) {
    const covered = cal.runs.map((r) => r.label).join(" and ");
    html += `<p class="lead">${escapeHtml(`No year-on-year comparison is possible: the data cover ${covered}, and no two ${cal.yearWord}s are covered over the same months. A comparison of unequal periods (for example January–March with April–December) would mix seasons and lengths, so none is made.`)}</p>`;
  }
  else if (refused.length) html += `<p class="note">${escapeHtml(refused.join(" "))}</p>`;
  html += `<p class="note">Counts are compared only over time the data cover in both periods. p (exact): the conditional binomial test of equal Poisson rates with each window's length in days as exposure — the same value as R's poisson.test. p (E-test): Krishnamoorthy &amp; Thomson (2004). “Small numbers”: either period has fewer than 20 incidents, so percentages swing widely. To compare other windows, or rates per day of unequal covered time, call <code>change(table, previous, current, { partial })</code>.</p>`;
  return { section: { id: "change", title: "Change since last year", html }, files, findings };
}

/** The comparisons the report makes (see {@link changeSection}), and why any it would make is not. */
export interface PlannedComparisons {
  /** The two latest wholly covered reporting years, when consecutive. */
  readonly whole: ChangeResult | null;
  /** The latest part-covered year against the same covered months of the year before. */
  readonly toDate: ChangeResult | null;
  readonly refused: string[];
}

/** The year-on-year comparisons the report makes on `categories`: only on windows the data cover equally. */
export function plannedComparisons(table: IncidentTable, cal: ReportCalendar, categories: readonly string[]): PlannedComparisons {
  const popts = { zone: table.zone, fyStartMonth: cal.fyStartMonth };
  const refused: string[] = [];
  const [prevYear, lastYear] = cal.complete.slice(-2);
  const whole = prevYear && lastYear && shiftPeriod(prevYear, 1, popts).key === lastYear.key ? change(table, prevYear, lastYear, { categories, fyStartMonth: cal.fyStartMonth }) : null;
  let toDate: ChangeResult | null = null;
  const latest = cal.years[cal.years.length - 1];
  if (latest && latest.coverage < 1) {
    const before = shiftPeriod(latest.period, -1, popts);
    try {
      toDate = change(table, before, latest.period, { categories, fyStartMonth: cal.fyStartMonth, partial: "equal-windows" });
    } catch (e) {
      if (!(e instanceof InputError) || e.code !== "partial-period") throw e;
      refused.push(`${latest.period.key} is covered only for ${latest.covered}, and the same months of ${before.key} are not covered, so it cannot be compared with a year earlier.`);
    }
  }
  return { whole, toDate, refused };
}

/**
 * One comparison: the lead, the significant changes, known breaks and the table, from `protectedRows`
 * (the CSV's rows: under --public a withheld category has no test, and says so).
 */
function comparisonHtml(result: ChangeResult, protectedRows: readonly ChangeCsvRow[], areaName: string, cal: ReportCalendar, categories: readonly string[], basis: string, dc: DisclosureContext, name: string): string {
  const rows = [...protectedRows].sort((a, b) => (a.pValue ?? 1) - (b.pValue ?? 1));
  const significant = rows.filter((r) => r.significant && !r.smallNumbers);
  const withheld = rows.filter((r) => dc.withheld(r));
  const w = result.windows;
  const span = w.previous.whole && w.current.whole ? `${result.previous.key} to ${result.current.key}` : `${w.previous.label} to ${w.current.label}`;
  const held = withheld.length ? ` ${withheld.length} of them ${withheld.length === 1 ? "is" : "are"} withheld for small numbers and not assessed here.` : "";
  let html = `<p class="lead">${escapeHtml(`${upperFirst(areaName)}, ${span} (${basis}): ${significant.length} of ${rows.length} categories changed by more than chance would explain (exact Poisson test, 5% level).${held}`)}</p>`;
  if (result.note) html += `<p class="note">${escapeHtml(result.note)}</p>`;
  html += `<ul>${significant.slice(0, 5).map((r) => `<li>${escapeHtml(r.sentence)}</li>`).join("")}${withheld.map((r) => `<li>${escapeHtml(dc.withheldSentence(categoryLabel(String(r.category))))}</li>`).join("")}</ul>`;
  const breaks = breaksTouching(cal, result.previous.start, result.current.end, categories);
  if (breaks.length) {
    html += `<p class="note"><b>Known breaks between or within these periods</b> — read the changes with them in mind:</p><ul class="note">${breaks.map((b) => `<li>${escapeHtml(b.sentence)}</li>`).join("")}</ul>`;
  }
  html += changeTable(rows, result, `Change, ${areaName}: ${span}`, dc, name);
  return html;
}

/**
 * The summary's findings from one comparison: the three largest changes that are larger than
 * chance would explain (5% level, not small numbers, not withheld), in plain words, with the
 * known breaks (COVID-19 restrictions, recording changes) touching the compared periods named
 * once, so a board does not read a lockdown's rebound as a trend.
 */
function changeFindings(result: ChangeResult, rows: readonly ChangeCsvRow[], cal: ReportCalendar, categories: readonly string[], dc: DisclosureContext): Finding[] {
  const real = rows.filter((r) => r.significant && !r.smallNumbers && !dc.withheld(r) && typeof r.change === "number" && r.previous !== null && r.current !== null);
  const top = [...real].sort((a, b) => Math.abs(b.change as number) - Math.abs(a.change as number)).slice(0, 3);
  const w = result.windows;
  const whole = w.previous.whole && w.current.whole;
  // Both windows named: a part-covered year's need not be whole months (Denver's "1 Jan 2019 – 18 Jun 2019").
  const span = whole ? `from ${result.previous.key} to ${result.current.key}` : `in ${w.current.label} against ${w.previous.label}`;
  const breaks = breaksTouching(cal, result.previous.start, result.current.end, categories).filter((b) => b.kind === "restrictions" || b.categories === null);
  const caveat = breaks.length ? ` (${breaks.map((b) => b.title).join("; ")} affected ${whole ? result.previous.key : "these months"}.)` : "";
  return top.map((r, k) => {
    const up = (r.change as number) > 0;
    const pct = typeof r.percentChange === "number" ? ` (${up ? "+" : "−"}${fmtPct(Math.abs(r.percentChange), 0)})` : "";
    const text = `${categoryLabel(String(r.category))} ${up ? "rose" : "fell"} by ${fmtInt(Math.abs(r.change as number))}${pct} ${span}, from ${fmtInt(r.previous)} to ${fmtInt(r.current)}: more than chance would explain.${k === 0 ? caveat : ""}`;
    return { section: "change", text, order: whole ? 20 : 25, weight: Math.abs(r.change as number) };
  });
}

/**
 * The headline year against every wholly covered year before it (up to four, consecutive):
 * "the highest burglary in 4 years", tested against the earlier years' pooled rate
 * (`comparePrevious`). Only with two or more earlier years (one earlier year is the
 * year-on-year comparison). Under `--public` a category with a small count in any of the years
 * is left out.
 */
function longerViewHtml(table: IncidentTable, cal: ReportCalendar, categories: readonly string[], dc: DisclosureContext): { html: string; findings: Finding[] } {
  const none = { html: "", findings: [] };
  const head = cal.headline;
  if (!head || cal.headlineKind !== "year") return none;
  let years = 0;
  for (let p = head; years < 4; ) {
    const before = shiftPeriod(p, -1);
    if (!cal.complete.some((c) => c.key === before.key)) break;
    years += 1;
    p = before;
  }
  if (years < 2) return none;
  const result = comparePrevious(table, head, { years, categories, fyStartMonth: cal.fyStartMonth });
  const shown = result.rows.filter((r) => !dc.active || ![r.current, ...r.previous].some((n) => dc.small(n)));
  const notable = shown.filter((r) => (r.highest || r.lowest) && r.significant && r.current >= 20);
  const span = `${result.previous[0].key} to ${head.key}`;
  let html = `<h3>${escapeHtml(`${head.key} against the ${years} years before`)}</h3>`;
  html += notable.length
    ? `<ul>${notable.map((r) => `<li>${escapeHtml(r.sentence)}</li>`).join("")}</ul>`
    : `<p>${escapeHtml(`No category was at its highest or lowest of the ${years + 1} years ${span} by more than chance would explain.`)}</p>`;
  html += `<p class="note">${escapeHtml(`Each category's ${head.key} count against the average of the ${years} ${cal.yearWord}s before it (all wholly covered), with the exact Poisson test of ${head.key}'s rate against the earlier years' pooled rate; "highest" or "lowest" is among all ${years + 1} years. Only categories with 20 or more incidents are named.`)}</p>`;
  const findings = notable.map((r) => ({
    section: "change",
    text: `${categoryLabel(String(r.category))} in ${head.key} was the ${r.highest ? "highest" : "lowest"} in ${years + 1} years (${fmtInt(r.current)}, against an average of ${fmtInt(Math.round(r.average))} in the ${years} years before).`,
    order: 30,
    weight: Math.abs(r.current - r.average),
  }));
  return { html, findings };
}

/** A change row as written to CSV (and, protected, as shown). */
type ChangeCsvRow = ChangeRow & { previousPeriod: string; currentPeriod: string; previousWindow: string; currentWindow: string; basis: string; suppressed?: string | null };

function csvRows(result: ChangeResult): ChangeCsvRow[] {
  return result.rows.map((r) => ({ ...r, previousPeriod: result.previous.key, currentPeriod: result.current.key, previousWindow: result.windows.previous.label, currentWindow: result.windows.current.label, basis: result.basis }));
}

function header(p: Period, whole: boolean, label: string): string {
  return whole ? p.key : `${p.key} (${label})`;
}

function changeTable(rows: readonly ChangeCsvRow[], result: ChangeResult, caption: string, dc: DisclosureContext, name: string): string {
  const fmtP = (v: unknown) => (typeof v !== "number" ? "–" : v < 0.001 ? "< 0.001" : v.toFixed(3));
  return dc.table(name, rows, [
    { header: "Category", value: (r) => categoryLabel(String(r.category)) },
    { header: header(result.previous, result.windows.previous.whole, result.windows.previous.label), value: (r) => r.previous, format: fmtInt, numeric: true, kind: "count" },
    { header: header(result.current, result.windows.current.whole, result.windows.current.label), value: (r) => r.current, format: fmtInt, numeric: true, kind: "count" },
    { header: "Change", value: (r) => r.change, format: (v) => ((v as number) > 0 ? "+" : "") + fmtInt(v), numeric: true, kind: "derived" },
    { header: "% change", value: (r) => r.percentChange, format: (v, r) => (v === null ? (r.percentReason ?? "–") : ((v as number) > 0 ? "+" : "") + fmtPct(v)), numeric: true, kind: "derived" },
    { header: "Rate ratio (95% CI)", value: (r) => r.rateRatio, format: (v, r) => (v === null ? "–" : `${(v as number).toFixed(2)} (${(r.lower ?? NaN).toFixed(2)}–${Number.isFinite(r.upper) ? (r.upper as number).toFixed(2) : "∞"})`), numeric: true, kind: "derived" },
    { header: "p (exact)", value: (r) => r.pValue, format: fmtP, numeric: true, kind: "derived" },
    { header: "p (E-test)", value: (r) => r.eTestPValue, format: fmtP, numeric: true, kind: "derived" },
    { header: "", value: (r) => (dc.withheld(r) ? "withheld: small numbers" : r.smallNumbers ? "small numbers" : "") },
  ], caption);
}
