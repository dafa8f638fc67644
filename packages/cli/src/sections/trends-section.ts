import { categoryLabel, clockFor, partitionRows, rowsOf, selectRows, spansContain, PRECISION, PRECISIONS, type IncidentTable, whereTest } from "@community-safety/core";
import {
  compareSeasonalProfiles,
  controlChart,
  countSeries,
  exceptionalPeriod,
  mannKendall,
  runRules,
  seasonalMannKendall,
  seasonalProfile,
  sensSlope,
  seriesRuns,
  stl,
} from "@community-safety/trends";
import { escapeHtml, type Section } from "../report/html.js";
import { renderSvg } from "../report/figures.js";
import { monthlySeriesFigure, seasonalProfileFigure, xmrFigure, type MonthlySeriesRow, type SeasonalProfileRow } from "@community-safety/figures";
import type { OutputFile } from "./output.js";
import { allCrimeLabel, crimeCategories } from "./levels-section.js";
import { breaksTouching, type ReportCalendar } from "./report-calendar.js";
import { timeOfWeekPart } from "./time-of-week-part.js";
import { DisclosureContext } from "../report/public-outputs.js";
import type { CountsDisclosure } from "../report/public-rows.js";
import type { Finding } from "./summary-section.js";
import { tallyCodes } from "./row-tally.js";

/**
 * The monthly counts of every series the section tests (report figure only): a series × month
 * table. Secondary suppression runs along the months of a series (its total is published) and
 * across the series of a month (all crime is the sum of the types; the monthly totals are in
 * levels-month-source.csv). A series holding a withheld count is withheld whole: its trend,
 * tests and STL rest on every month.
 */
const MONTHLY_SERIES_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count"],
  dimensions: ["series", "month"],
  series: { by: ["series"], derived: [], whole: true },
};

/** trends-monthly-tests.csv: each series' total, with its trend tests (withheld with a withheld month of the series, see {@link MONTHLY_SERIES_SPEC}). */
export const TREND_TESTS_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["total"],
  dimensions: ["series"],
  derived: ["senPerYear", "senLower", "senUpper", "mannKendallZ", "mannKendallP", "seasonalMannKendallP", "direction", "sentence"],
  other: { months: "months in the series", first: "first month", last: "last month" },
};

/** The seasonal profile's counts (figure): series × year × month, a series withheld whole when it holds a withheld count. */
const PROFILE_COUNTS_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count"],
  dimensions: ["series", "year", "month"],
  series: { by: ["series"], derived: [], whole: true },
};

/** trends-seasonal-profile.csv: the mean count of each month of the year over the years, and what is derived from it. */
export const PROFILE_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["meanCount"],
  dimensions: ["series", "month"],
  derived: ["meanDailyRate", "index"],
  series: { by: ["series"], derived: ["meanDailyRate", "index"], whole: true },
  other: { years: "the years averaged" },
};

/** trends-xmr.csv: the headline series' monthly counts with control limits and signals (statistics of the whole series). */
export const XMR_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["value"],
  dimensions: ["month"],
  derived: ["signal"],
  series: { by: [], derived: ["centre", "lower", "upper", "signal"], whole: true },
};

/** trends-exceptional-dates.csv: a date's count this year against the earlier years' mean. */
export const EXCEPTIONAL_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count", "previousMean"],
  dimensions: ["period"],
  derived: ["ratio", "pValue", "sentence"],
  other: { year: "the year compared", excluded: "records left out for being known only to the month or year (a count of the input's precision, not of incidents on the date)" },
};

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const fmtSigned = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(v) >= 10 ? Math.round(Math.abs(v)).toLocaleString("en-GB") : Math.abs(v).toFixed(1)}`;
const MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const fmtP = (p: number | null) => (p === null ? "–" : p < 0.001 ? "< 0.001" : p.toFixed(3));
const signed = (v: number, d = 1) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(v).toFixed(d)}`;

interface Subject {
  key: string;
  label: string;
  table: IncidentTable;
}

/** One monthly series with its trend tests. */
interface TrendRow {
  series: string;
  months: number;
  first: string;
  last: string;
  /** `null` (with the tests) when withheld for small numbers under `--public`. */
  total: number | null;
  senPerYear: number | null;
  senLower: number | null;
  senUpper: number | null;
  mannKendallZ: number | null;
  mannKendallP: number | null;
  seasonalMannKendallP: number | null;
  direction: string | null;
  sentence: string | null;
  suppressed?: string | null;
}

/**
 * Rows of a series (by their `series` column) that holds a withheld month elsewhere (its
 * monthly counts in a figure) have `columns` withheld, saying why: their statistics rest on
 * every month of the series. Unchanged when disclosure control is off.
 */
function withholdSeries<T extends { series?: unknown; suppressed?: string | null }>(rows: T[], held: ReadonlySet<string>, columns: readonly string[], dc: DisclosureContext): T[] {
  if (!dc.active || held.size === 0) return rows;
  const why = "series statistics: the series holds a withheld month";
  return rows.map((r) => {
    if (!held.has(String(r.series))) return r;
    const out: Record<string, unknown> = { ...r, suppressed: r.suppressed ? `${r.suppressed}; ${why}` : why };
    for (const c of columns) out[c] = null;
    return out as T;
  });
}

const TREND_STATISTICS = ["senPerYear", "senLower", "senUpper", "mannKendallZ", "mannKendallP", "seasonalMannKendallP", "direction", "sentence"] as const;

/**
 * The report's trend verdict on a monthly series without gaps (the latest covered run): the
 * seasonal Mann–Kendall test with two years or more (a seasonal swing is not a trend), else the
 * plain test; "rising" or "falling" at the 5% level, else "no clear trend".
 */
export function trendVerdict(counts: Float64Array, startMonth: number) {
  const mk = mannKendall(counts);
  const sen = sensSlope(counts);
  const smk = counts.length >= 24 ? seasonalMannKendall(counts, { period: 12, start: startMonth }) : null;
  const p = smk?.pValue ?? mk.pValue;
  const direction = p < 0.05 ? (mk.s > 0 ? "rising" : "falling") : "no clear trend";
  return { mk, sen, smk, p, direction };
}

/**
 * When things happen: monthly series with their STL trend and trend tests (Mann–Kendall,
 * seasonal Mann–Kendall, Sen's slope), the seasonal profile by year with its consistency, an
 * XmR chart with run rules, the day-of-week × hour picture for timestamped data, and
 * Halloween against earlier years.
 */
export async function trendsSection(table: IncidentTable, areaName: string, cal: ReportCalendar, dc: DisclosureContext = new DisclosureContext(null)): Promise<{ section: Section; files: OutputFile[]; findings: Finding[] } | null> {
  if (table.length === 0) return null;
  // Series run only over covered months: the latest unbroken run of them (a trend never reaches
  // across a gap between downloads). Trend tests need a few months; shorter runs get no trends
  // section rather than a guess.
  const whole = countSeries(table, { unit: "month" });
  const runs = seriesRuns(whole.series[0]?.counts ?? []);
  const run = runs[runs.length - 1];
  if (!run || run.length < 6) return null;
  const allPeriods = whole.periods.slice(run.from, run.to + 1);
  const files: OutputFile[] = [];
  const findings: Finding[] = [];
  let html = "";
  const runLabel = `${allPeriods[0].label} – ${allPeriods[allPeriods.length - 1].label}`;
  const gaps = whole.series[0].gaps;
  if (runs.length > 1 || gaps.length) {
    const span = (a: number, b: number) => (a === b ? whole.periods[a].label : `${whole.periods[a].label} – ${whole.periods[b].label}`);
    const earlier = runs.slice(0, -1).map((r) => span(r.from, r.to));
    const gapWords = gaps.map((g) => `${span(g.from, g.to)} (${g.steps} month${g.steps === 1 ? "" : "s"}${g.partial ? ", partly covered" : ""})`);
    html += `<p class="lead">${escapeHtml(`The monthly series, trend tests, STL and the control chart use the latest unbroken run of months the data cover: ${runLabel} (${run.length} months).${earlier.length ? ` The data also cover ${earlier.join(" and ")}, but months not covered lie between (${gapWords.join("; ")}), so no series or trend is drawn across them: uncovered months are unknown, not zero.` : ` Months not wholly covered (${gapWords.join("; ")}) are left out.`}`)}</p>`;
  }
  const spanBreaks = breaksTouching(cal, allPeriods[0].start, allPeriods[allPeriods.length - 1].end);
  if (spanBreaks.length) {
    html += `<p class="note"><b>Known breaks within the series</b> — a trend test over them mixes their effect with any underlying trend:</p><ul class="note">${spanBreaks.map((b) => `<li>${escapeHtml(b.sentence)}</li>`).join("")}</ul>`;
  }
  const crimes = crimeCategories(table);
  const subjects: Subject[] = [];
  // One crime type's rows from one partition of the table by category (ascending, so in table
  // order), not a scan of every row per type; several types by one scan.
  const byCategory = partitionRows(table, { column: "category" });
  const only = (keys: readonly string[]) => (keys.length === 1 ? selectRows(table, rowsOf(byCategory, keys[0])) : selectRows(table, whereTest(table, { category: keys })));
  if (crimes.length) subjects.push({ key: "all-crime", label: allCrimeLabel(crimes), table: crimes.length === table.category.values.filter((v) => v !== null).length ? table : only(crimes) });
  if (table.category.values.includes("anti-social-behaviour")) subjects.push({ key: "anti-social-behaviour", label: "Anti-social behaviour", table: only(["anti-social-behaviour"]) });
  // Every crime type, largest first: each is tested (the table lists them all); the figure shows at most four beside the headline series.
  // Sizes from the partition; equal sizes keep the order of each type's first row.
  const byVolume = crimes
    .map((c) => rowsOf(byCategory, c))
    .map((rows, k) => ({ c: crimes[k], n: rows.length, first: rows[0] }))
    .filter((s) => s.n > 0)
    .sort((a, b) => b.n - a.n || a.first - b.first)
    .map((s) => s.c);
  const headline = subjects.length; // all crime and ASB come first
  if (crimes.length > 1) for (const c of byVolume) subjects.push({ key: c, label: categoryLabel(c), table: only([c]) });
  if (subjects.length === 0) subjects.push({ key: "all", label: "All incidents", table });

  // ---- Monthly series, trend and tests --------------------------------------------------
  const months = allPeriods.map((p) => p.key);
  const trendRows: TrendRow[] = [];
  const linesOf = new Map<string, Record<string, unknown>[]>();
  const countsOf = new Map<Subject, Float64Array>();
  for (const s of subjects) {
    const counts = countSeries(s.table, { unit: "month", from: months[0], to: months[months.length - 1] }).series[0]?.counts ?? new Float64Array(months.length);
    if (counts.some(Number.isNaN)) continue; // this subject's sources do not cover the whole run
    countsOf.set(s, counts);
  }
  // Under --public the monthly counts are protected first: a series with a withheld month is withheld whole.
  const seriesName = "Monthly series of the trend tests (figure)";
  const monthlyShown = dc.protect(seriesName, [...countsOf].flatMap(([s, counts]) => months.map((m, k) => ({ series: s.label, month: m, count: counts[k] }))), MONTHLY_SERIES_SPEC);
  const heldSeries = new Set(monthlyShown.filter((r) => dc.withheld(r)).map((r) => r.series));
  for (const [s, counts] of countsOf) {
    const n = counts.length;
    const { mk, sen, smk, direction } = trendVerdict(counts, Number(months[0].slice(5, 7)));
    const decomposition = n >= 25 ? stl(counts, { period: 12, seasonalWindow: "periodic" }) : null;
    const lines: Record<string, unknown>[] = [];
    if (!heldSeries.has(s.label)) {
      months.forEach((m, k) => {
        lines.push({ series: s.label, month: `${m}-15`, value: counts[k], line: "monthly count" });
        if (decomposition) lines.push({ series: s.label, month: `${m}-15`, value: decomposition.trend[k], line: "trend (STL)" });
      });
    }
    linesOf.set(s.label, dc.chart(lines, ["value"]));
    const perYear = (v: number | null) => (v === null ? null : 12 * v);
    const total = counts.reduce((a, b) => a + b, 0);
    const ci = sen.lower !== null && sen.upper !== null ? ` (95% CI ${signed(12 * sen.lower)} to ${signed(12 * sen.upper)})` : "";
    const tests = `Mann–Kendall p ${mk.pValue < 0.001 ? "< 0.001" : `= ${mk.pValue.toFixed(3)}`}${smk && smk.pValue !== null ? `; seasonal Mann–Kendall p ${smk.pValue < 0.001 ? "< 0.001" : `= ${smk.pValue.toFixed(3)}`}` : ""}`;
    const sentence =
      direction === "no clear trend"
        ? `${s.label} shows no clear trend over ${n} months (the monthly count changes by ${signed(12 * sen.slope)} a year by Sen's slope${ci}; ${tests}).`
        : `${s.label} has been ${direction} over ${n} months: the monthly count changes by ${signed(12 * sen.slope)} a year (Sen's slope${ci.replace(" (", ", ").replace(/\)$/, "")}); ${tests}.`;
    trendRows.push({
      series: s.label,
      months: n,
      first: months[0],
      last: months[n - 1],
      total,
      senPerYear: perYear(sen.slope),
      senLower: perYear(sen.lower),
      senUpper: perYear(sen.upper),
      mannKendallZ: mk.z,
      mannKendallP: mk.pValue,
      seasonalMannKendallP: smk?.pValue ?? null,
      direction,
      sentence,
    });
  }
  // Under --public: totals protected, and the tests of a series with a withheld month withheld with it.
  const testsName = "trends-monthly-tests.csv";
  const testRows = withholdSeries(dc.protect(testsName, trendRows, TREND_TESTS_SPEC), heldSeries, TREND_STATISTICS, dc);
  const heldWords = (r: TrendRow) => dc.withheldSentence(`${r.series}: the trend`, "in a month");
  // The figure: the headline series, then the categories with the clearest trends (else the largest).
  const pOf = (r: TrendRow) => r.seasonalMannKendallP ?? r.mannKendallP ?? 1;
  const others = testRows.slice(headline).sort((a, b) => (a.direction === "no clear trend" ? 1 : 0) - (b.direction === "no clear trend" ? 1 : 0) || pOf(a) - pOf(b));
  const drawn = (r: TrendRow) => !heldSeries.has(r.series);
  const shown = [...testRows.slice(0, headline).filter(drawn), ...others.filter((r) => drawn(r) && r.direction !== null && r.direction !== "no clear trend").slice(0, 4)];
  for (const r of testRows.slice(headline)) if (drawn(r) && shown.length < Math.min(6, testRows.length) && !shown.includes(r)) shown.push(r);
  const lines = shown.flatMap((r) => linesOf.get(r.series) ?? []);
  const listed = [...testRows.slice(0, headline), ...others.filter((r) => r.direction !== null && r.direction !== "no clear trend")];
  const withheldTypes = others.filter((r) => heldSeries.has(r.series));
  for (const r of testRows.slice(0, headline)) {
    if (heldSeries.has(r.series) || r.senPerYear === null || (r.direction !== "rising" && r.direction !== "falling")) continue;
    findings.push({ section: "trends", text: `${r.series} has been ${r.direction} over the ${r.months} months to ${allPeriods[allPeriods.length - 1].label}: the monthly count ${r.direction === "rising" ? "grows" : "falls"} by about ${fmtSigned(Math.abs(r.senPerYear)).replace("+", "")} a year.`, order: 45, weight: Math.abs(r.senPerYear) });
  }
  html += `<h3>Monthly series and trend</h3><ul>${listed.map((r) => `<li>${escapeHtml(heldSeries.has(r.series) || r.sentence === null ? heldWords(r) : r.sentence)}</li>`).join("")}${withheldTypes.length ? `<li>${escapeHtml(`Not tested here (withheld: fewer than ${dc.threshold} incidents in a month): ${withheldTypes.map((r) => r.series).join(", ")}.`)}</li>` : ""}</ul>`;
  if (others.length && listed.length === headline) html += `<p>${escapeHtml(`No crime type shows a clear trend (seasonal Mann–Kendall, 5% level) over ${months.length} months.`)}</p>`;
  const trendSvg = await renderSvg(monthlySeriesFigure(lines as unknown as MonthlySeriesRow[], { order: shown.map((r) => r.series) }));
  html += `<figure${dc.figure(["per month"])}>${trendSvg}<figcaption>Incidents per month (blue) and the trend of an STL decomposition (red; periodic seasonal, as R's stl(x, "periodic")), ${escapeHtml(areaName)}.${dc.active && heldSeries.size ? ` Series holding a month withheld for small numbers are not drawn. ${dc.tallyWords(dc.tallies.find((t) => t.name === seriesName)!)}` : ""}</figcaption></figure>`;
  html += dc.table<TrendRow>(
    testsName,
    [...testRows.slice(0, headline), ...others],
    [
      { header: "Series", value: (r) => r.series },
      { header: "Months", value: (r) => r.months, numeric: true, kind: "other" },
      { header: "Change in the monthly count a year (Sen, 95% CI)", value: (r) => r.senPerYear, format: (v, r) => (v === null ? "–" : `${signed(v as number)}${r.senLower !== null && r.senUpper !== null ? ` (${signed(r.senLower)} to ${signed(r.senUpper)})` : ""}`), numeric: true, kind: "derived" },
      { header: "Mann–Kendall z", value: (r) => r.mannKendallZ, format: (v) => (typeof v === "number" ? v.toFixed(2) : "–"), numeric: true, kind: "derived" },
      { header: "p", value: (r) => r.mannKendallP, format: (v) => fmtP(v as number | null), numeric: true, kind: "derived" },
      { header: "Seasonal MK p", value: (r) => r.seasonalMannKendallP, format: (v) => fmtP(v as number | null), numeric: true, kind: "derived" },
      { header: "Verdict", value: (r) => r.direction ?? "withheld: small numbers" },
    ],
    `Trend tests on the monthly series, ${areaName}`,
  );
  html += `<p class="note">Mann–Kendall with tie correction and continuity correction; the seasonal test (Hirsch, Slack &amp; Smith 1982) compares each calendar month only with itself, so a seasonal swing is not mistaken for a trend — the verdict uses it when there are two or more years. Sen's slope is the median of all pairwise slopes, with Gilbert's (1987) interval; shown per year (×12).</p>`;
  files.push({ name: testsName, rows: testRows.map((r) => ({ ...r })), disclosure: TREND_TESTS_SPEC });

  // ---- Seasonal profile ---------------------------------------------------------------------
  const profileSubjects = subjects.slice(0, headline + 3);
  const profileRows: Record<string, unknown>[] = [];
  const sentences: string[] = [];
  const profileLabels: string[] = [];
  const profileFindings = new Map<string, string>();
  const profileLines: Record<string, unknown>[] = [];
  let monthsOrder: number[] = [];
  for (const s of [subjects[0], ...profileSubjects.filter((x) => x !== subjects[0])]) {
    const pr = seasonalProfile(s.table, { fyStartMonth: cal.fyStartMonth });
    if (pr.years.length === 0) continue;
    monthsOrder = pr.months;
    const p = pr.profiles[0];
    sentences.push(p.sentence.replace(/^(Incidents|[^:]+):/, `${s.label}:`));
    profileLabels.push(s.label);
    // The summary names a seasonal pattern only when it repeats year on year (Friedman, 5% level).
    if (s !== subjects[0] && !subjects.slice(0, headline).includes(s)) continue;
    const c = p.consistency;
    if (c !== null && c.pValue < 0.05) {
      const [a, b] = p.ranking;
      const word = c.kendallW >= 0.7 ? "a very similar pattern" : c.kendallW >= 0.5 ? "a similar pattern" : "a loosely similar pattern";
      profileFindings.set(s.label, `${s.label} is busiest in ${MONTH_NAMES[a - 1]} and ${MONTH_NAMES[b - 1]} and quietest in ${MONTH_NAMES[p.ranking[11] - 1]}, with ${word} in each of the ${pr.years.length} years.`);
    }
    pr.years.forEach((y, yi) => {
      pr.months.forEach((m, j) => profileLines.push({ series: s.label, year: y, month: MONTH_ABBR[m - 1], count: p.counts[yi * 12 + j] }));
    });
    pr.months.forEach((m, j) => profileRows.push({ series: s.label, month: m, meanCount: p.meanCount[j], meanDailyRate: p.meanDailyRate[j], index: p.index[j], years: pr.years.join(" ") }));
  }
  // Under --public a series whose profile holds a withheld month is withheld whole (its consistency and peaks rest on every month).
  const profileName = "Seasonal pattern by year (figure)";
  const profileShown = dc.protect(profileName, profileLines, PROFILE_COUNTS_SPEC);
  const heldProfiles = new Set(profileShown.filter((r) => dc.withheld(r)).map((r) => String(r.series)));
  const profileCsvName = "trends-seasonal-profile.csv";
  const profileCsv = withholdSeries(dc.protect(profileCsvName, profileRows, PROFILE_SPEC), heldProfiles, ["meanCount", "meanDailyRate", "index"], dc);
  if (profileLines.length) {
    const said = sentences.map((x, k) => (heldProfiles.has(profileLabels[k]) ? dc.withheldSentence(`${profileLabels[k]}: the seasonal pattern`, "in a month") : x));
    html += `<h3>Seasonal pattern</h3><ul>${said.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ul>`;
    const perDistrict = tallyCodes(table.district.codes, table.district.values.length).counts;
    const districts = table.district.values.filter((d, c) => d !== null && perDistrict[c] > 0).length;
    if (districts >= 2) {
      const byDistrict = seasonalProfile(subjects[0].table, { by: "district", fyStartMonth: cal.fyStartMonth });
      const ranked = byDistrict.profiles.filter((p) => p.key !== null).sort((a, b) => b.total - a.total);
      if (ranked.length >= 2 && byDistrict.years.length > 0) {
        const c = compareSeasonalProfiles(ranked[0], ranked[1], { months: byDistrict.months });
        // (Under --public: only when neither district's profile holds a small monthly count.)
        const small = [ranked[0], ranked[1]].some((p) => Array.from(p.counts).some((v) => dc.small(v)));
        html += `<p>${escapeHtml(small ? dc.withheldSentence(`${subjects[0].label}: the two largest districts' seasonal patterns`, "in a month") : `${subjects[0].label}: ${c.sentence}`)}</p>`;
      }
    }
    const profileSvg = await renderSvg(
      seasonalProfileFigure(profileShown.filter((r) => !heldProfiles.has(String(r.series))) as unknown as SeasonalProfileRow[], {
        months: monthsOrder.map((m) => MONTH_ABBR[m - 1]),
        order: [...new Set(profileLines.map((r) => r.series as string))],
      }),
    );
    html += `<figure${dc.figure(["per month"])}>${profileSvg}<figcaption>Each ${escapeHtml(cal.yearWord)} the data wholly cover (${escapeHtml(cal.yearMonths)}), its monthly counts by month of the year. Consistency: Kendall's W of the years' rankings of the months, with Friedman's test (daily rates, so February is not quiet for being short).${dc.active && heldProfiles.size ? ` Series holding a month withheld for small numbers are not drawn. ${dc.tallyWords(dc.tallies.find((t) => t.name === profileName)!)}` : ""}</figcaption></figure>`;
    files.push({ name: profileCsvName, rows: profileCsv, disclosure: PROFILE_SPEC });
    for (const [label, text] of profileFindings) if (!heldProfiles.has(label)) findings.push({ section: "trends", text, order: 50 });
  }

  // ---- Statistical process control ----------------------------------------------------------
  const main = countSeries(subjects[0].table, { unit: "month", from: months[0], to: months[months.length - 1] }).series[0]?.counts;
  if (main && main.length >= 12) {
    const chart = controlChart(main, { type: "xmr" });
    const rules = runRules(chart, { labels: months });
    const special = rules.special;
    // Under --public the chart is a series: a withheld month withholds it whole (its limits rest on every month).
    const xmrName = "trends-xmr.csv";
    const xmrRows = dc.protect(xmrName, months.map((m, k) => ({ month: m, value: chart.value[k], centre: chart.centre[k], lower: chart.lower[k], upper: chart.upper[k], signal: special[k] === 1 })), XMR_SPEC);
    const xmrHeld = xmrRows.some((r) => dc.withheld(r));
    const spcSvg = await renderSvg(xmrFigure(chart, rules, { months, title: `${subjects[0].label}: XmR chart of monthly counts` }));
    if (xmrHeld) {
      html += `<h3>Statistical process control</h3><p>${escapeHtml(dc.withheldSentence(`${subjects[0].label}: the control chart`, "in a month"))}</p>`;
      html += dc.note(xmrName);
    } else {
      html += `<h3>Statistical process control</h3><p>${escapeHtml(rules.sentence)}</p>`;
      html += `<ul>${rules.signals.slice(0, 8).map((s) => `<li>${escapeHtml(s.sentence)}</li>`).join("")}</ul>`;
      html += `<figure${dc.figure(["incidents per month"])}>${spcSvg}<figcaption>XmR (individuals) chart: centre line the mean, dashed limits mean ± 2.66 × the mean moving range (Wheeler). Red points: a special-cause signal — beyond a limit, ${rules.rules.shift} in a row on one side of the centre, or ${rules.rules.trend} rising or falling.</figcaption></figure>`;
    }
    files.push({ name: xmrName, rows: xmrRows, disclosure: XMR_SPEC });
  }

  // ---- Time of week and exceptional dates (records known to the hour / day) -----------------
  const byPrecision = tallyCodes(table.precision, PRECISIONS.length);
  const atMost = (p: number) => byPrecision.counts.subarray(0, p + 1).reduce((a, b) => a + b, 0);
  const timed = atMost(PRECISION.hour);
  const dated = atMost(PRECISION.day);
  if (timed >= 0.5 * table.length) {
    const tw = await timeOfWeekPart(table, areaName, dc);
    html += tw.html;
    files.push(...tw.files);
    findings.push(...tw.findings);
  } else {
    const share = (100 * timed) / table.length;
    const monthOnly = atMost(PRECISION.month - 1) === 0;
    const why = monthOnly ? "the records give the month only, not the day or time" : `only ${share < 1 ? "under 1" : share.toFixed(0)}% of the incidents are known to the hour`;
    html += `<h3>Time of day and week</h3><p class="note">${escapeHtml(`No day-of-week or hour picture is drawn: ${why}, and it would have to invent times.`)}</p>`;
  }
  if (dated >= 0.5 * table.length) {
    const rows: Record<string, unknown>[] = [];
    const list: string[] = [];
    const notes: string[] = [];
    // The latest year whose dates the data cover, and how many years just before it they also cover.
    const clock = clockFor(table.zone);
    const covered = (y: number, monthDays: readonly (readonly [number, number])[]) =>
      monthDays.every(([m, d]) => {
        const start = clock.fromLocal(y, m, d);
        return spansContain(cal.spans, start, clock.fromLocal(y, m, d + 1));
      });
    const lastYear = clock.parts(cal.spans[cal.spans.length - 1].end - 1).year;
    const firstYear = clock.parts(cal.spans[0].start).year;
    const dates: [string, readonly (readonly [number, number])[]][] = [["Halloween (30–31 October)", [[10, 30], [10, 31]]]];
    if (table.zone === "Europe/London") dates.push(["Bonfire night (5 November)", [[11, 5]]]);
    for (const [label, monthDays] of dates) {
      let year = lastYear;
      while (year >= firstYear && !covered(year, monthDays)) year -= 1;
      let earlier = 0;
      while (earlier < 3 && covered(year - earlier - 1, monthDays)) earlier += 1;
      if (year < firstYear || earlier === 0) {
        notes.push(`${label}: not compared — the data do not cover it in two years.`);
        continue;
      }
      const r = exceptionalPeriod(table, { monthDays: monthDays.map(([m, d]) => [m, d] as [number, number]), year, years: earlier, coarse: "exclude", label });
      rows.push({ period: label, year: r.year, count: r.count, previousMean: r.previousMean, ratio: r.ratio, pValue: r.pValue, excluded: r.excluded, sentence: r.sentence });
    }
    // Under --public a date with a small count (this year or the earlier years' mean) is withheld with its test.
    const datesName = "trends-exceptional-dates.csv";
    const shownDates = dc.protect(datesName, rows, EXCEPTIONAL_SPEC);
    for (const r of shownDates) list.push(r.sentence === null ? dc.withheldSentence(String(r.period), "on it") : String(r.sentence));
    if (list.length || notes.length) {
      html += `<h3>Exceptional dates</h3><ul>${list.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ul><p class="note">Each date against the same dates in up to three earlier years: the exact Poisson test of this year's count against the earlier years' pooled rate. ${escapeHtml(notes.join(" "))}</p>`;
      if (dc.active && rows.length) html += dc.note(datesName);
      files.push({ name: datesName, rows: shownDates, disclosure: EXCEPTIONAL_SPEC });
    }
  }
  return { section: { id: "trends", title: "When: trends, seasons and times", html }, files, findings };
}
