import { InputError, parsePeriod, targetProgress, type IncidentTable, type TargetPlan, type TargetProgressResult, type TargetProgressRow } from "@community-safety/core";
import { fmtInt, fmtPct, escapeHtml, type Section } from "../report/html.js";
import { trajectoryFigure } from "@community-safety/figures";
import { renderSvg } from "../report/figures.js";
import type { OutputFile } from "./output.js";
import { breaksTouching, type ReportCalendar } from "./report-calendar.js";
import { DisclosureContext } from "../report/public-outputs.js";
import type { CountsDisclosure } from "../report/public-rows.js";
import type { Finding } from "./summary-section.js";

/**
 * targets-progress.csv: one row per target. The counts to date (actual, and the baseline when
 * counted from the data) are protected; everything measured from them (change, tests,
 * projection, probability, RAG and the sentence) is withheld with them. The plan's own numbers
 * (a baseline or target the plan states) are published by the plan.
 */
export const TARGETS_PROGRESS_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["actual", "baselineToDate", "baseline"],
  dimensions: ["id"],
  derived: ["target", "expected", "percentVsBaseline", "changePValue", "changeSignificant", "behind", "behindPValue", "projected", "projectedLower", "projectedUpper", "probabilityMet", "rag", "met", "sentence"],
  other: {
    name: "the target's name (from the plan)",
    categories: "the categories it counts (from the plan)",
    where: "where it counts (from the plan)",
    baselineLabel: "the baseline period (from the plan)",
    baselineMethod: "how the baseline was found",
    baselineCoverage: "the share of the baseline period the data cover",
    direction: "reduce or increase (from the plan)",
    size: "the target change (from the plan)",
    period: "the target period",
    asAt: "the month progress is reported at",
    monthsElapsed: "months of the period to date",
    monthsInPeriod: "months in the period",
    profile: "how the target is spread over the months",
    profileFrom: "the year the seasonal profile comes from",
    baselineToDateMethod: "how the baseline to date was found",
    complete: "whether the period is over",
  },
};

/**
 * targets-series.csv: each target's months. Cumulative counts give each month back by
 * difference, so a target whose months hold a small count is withheld whole (its monthly and
 * cumulative actuals, baseline profile and projection).
 */
export const TARGETS_SERIES_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["actual", "cumulativeActual", "baseline"],
  dimensions: ["id", "month"],
  series: { by: ["id"], derived: ["projected", "projectedLower", "projectedUpper", "trajectory"], whole: true },
  other: { name: "the target's name (from the plan)", monthIndex: "the month's place in the target period" },
};

const RAG_COLOUR = { green: "#2e7d32", amber: "#c77700", red: "#b3261e" } as const;
const fmtP = (v: unknown) => (typeof v !== "number" ? "–" : v < 0.001 ? "< 0.001" : v.toFixed(3));
const signedPct = (v: unknown) => (typeof v !== "number" ? "–" : `${v > 0 ? "+" : v < 0 ? "−" : ""}${fmtPct(Math.abs(v))}`);

/**
 * Progress against the plan's targets as at a month end: a table of measures with change
 * against the baseline to date, its significance and the RAG status, the RAG rules, and a
 * figure of cumulative progress against each target's profiled trajectory.
 */
export async function performanceSection(table: IncidentTable, plan: TargetPlan, asAt: string, source: string, cal: ReportCalendar, dc: DisclosureContext = new DisclosureContext(null)): Promise<{ section: Section; files: OutputFile[]; findings: Finding[] }> {
  const fyStartMonth = cal.fyStartMonth;
  // Each target on its own, so a target the data cannot measure (a baseline or months to date
  // they do not cover) is named with the reason instead of stopping the others.
  const notAssessed: string[] = [];
  const done: TargetProgressResult[] = [];
  for (const t of plan.targets) {
    try {
      done.push(targetProgress(table, [t], { asAt, fyStartMonth }));
    } catch (e) {
      if (!(e instanceof InputError) || (e.code !== "partial-period" && e.code !== "unknown-category")) throw e;
      notAssessed.push(`${t.name}: not assessed — ${e.message.replace(/^targetProgress: /, "")}`);
    }
  }
  if (done.length === 0) {
    const html = `<p class="lead">${escapeHtml(`None of the ${plan.targets.length} targets can be assessed as at ${asAt} from these data.`)}</p><ul>${notAssessed.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ul><p class="note">Targets from ${escapeHtml(source)}.</p>`;
    return { section: { id: "performance", title: "Performance against targets", html }, files: [], findings: [] };
  }
  const result = { asAt: done[0].asAt, rules: done[0].rules, rows: done.flatMap((d) => d.rows), series: done.flatMap((d) => d.series) };
  const names = new Map(result.rows.map((r) => [r.id, r.name]));
  // Under --public the progress rows and the months are protected before anything is said or drawn.
  const progressName = "targets-progress.csv";
  const seriesName = "targets-series.csv";
  const seriesRows = dc.protect(seriesName, result.series.map((s) => ({ ...s, name: names.get(s.id) })), TARGETS_SERIES_SPEC);
  const heldTargets = new Set(seriesRows.filter((s) => dc.withheld(s)).map((s) => s.id));
  const rows = withholdTargets(dc.protect(progressName, result.rows, TARGETS_PROGRESS_SPEC), heldTargets, dc);
  const count = (rag: string) => rows.filter((r) => r.rag === rag).length;
  const heldCount = rows.filter((r) => r.rag === null).length;
  let html = `<p class="lead">${escapeHtml(`As at the end of ${result.asAt.label}: ${rows.length} target${rows.length === 1 ? "" : "s"} — ${count("green")} green, ${count("amber")} amber, ${count("red")} red${heldCount ? `, ${heldCount} withheld for small numbers` : ""}${notAssessed.length ? `; ${notAssessed.length} not assessed (the data do not cover what ${notAssessed.length === 1 ? "it needs" : "they need"})` : ""}.`)}</p>`;
  // What the colours mean, in probability terms (the exact rules and thresholds are in the note under the table).
  html += `<p>${escapeHtml("Green means on track: not significantly behind the target's trajectory and at least as likely as not to meet the target by the end of the period. Amber means at risk: behind with weak evidence, or less likely than not to meet the target even if not clearly behind. Red means significantly behind the trajectory: a gap that chance alone would rarely give (less than one time in 20).")}</p>`;
  html += `<p class="note">Targets from ${escapeHtml(source)}.</p>`;
  // Known breaks between a target's baseline and its period (COVID-19 restrictions in a baseline year, …).
  const breakNotes = new Map<string, string[]>();
  if (cal.england) {
    for (const t of plan.targets) {
      if (typeof t.baseline !== "string") continue;
      const popts = { zone: table.zone, fyStartMonth: cal.fyStartMonth };
      const from = parsePeriod(t.baseline, popts).start;
      const to = parsePeriod(t.period, popts).end;
      for (const b of breaksTouching(cal, from, to, t.categories)) breakNotes.set(b.sentence, [...(breakNotes.get(b.sentence) ?? []), t.name]);
    }
  }
  if (breakNotes.size) {
    html += `<p class="note"><b>Known breaks between baselines and target periods:</b></p><ul class="note">${[...breakNotes].map(([sentence, names]) => `<li>${escapeHtml(`${sentence} (Affects: ${names.join("; ")}.)`)}</li>`).join("")}</ul>`;
  }
  html += `<ul>${rows.map((r) => (r.rag === null || r.sentence === null ? `<li>${escapeHtml(dc.withheldSentence(r.name, "in a month to date"))}</li>` : `<li><b style="color:${RAG_COLOUR[r.rag]}">${r.rag.toUpperCase()}</b> ${escapeHtml(r.sentence)}</li>`)).join("")}${notAssessed.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ul>`;
  html += dc.table<ShownRow>(
    progressName,
    rows,
    [
      { header: "Measure", value: (r) => r.name },
      { header: "Baseline", value: (r) => `${r.baselineLabel}: ${fmtInt(r.baseline)}` },
      { header: "Target", value: (r) => `${r.direction === "reduce" ? "≤" : "≥"} ${fmtInt(r.target)} in ${r.period}` },
      { header: "Actual to date", value: (r) => r.actual, format: fmtInt, numeric: true, kind: "count" },
      { header: "Expected to date", value: (r) => r.expected, format: fmtInt, numeric: true, kind: "derived" },
      { header: "Baseline to date", value: (r) => r.baselineToDate, format: (v, r) => `${fmtInt(v)}${r.baselineToDateMethod === "profiled" && v !== null ? "*" : ""}`, numeric: true, kind: "count" },
      { header: "vs baseline", value: (r) => r.percentVsBaseline, format: signedPct, numeric: true, kind: "derived" },
      { header: "p", value: (r) => r.changePValue, format: fmtP, numeric: true, kind: "derived" },
      { header: "Projected outturn (95% PI)", value: (r) => r.projected, format: (v, r) => (v === null ? "–" : r.complete ? `${fmtInt(v)} (final)` : `${fmtInt(v)} (${fmtInt(r.projectedLower)}–${fmtInt(r.projectedUpper)})`), numeric: true, kind: "derived" },
      { header: "P(meet target)", value: (r) => r.probabilityMet, format: (v) => (typeof v !== "number" ? "–" : v > 0 && v < 0.005 ? "< 1%" : v < 1 && v > 0.995 ? "> 99%" : fmtPct(v, 0)), numeric: true, kind: "derived" },
      { header: "RAG", value: (r) => (r.rag === null ? "withheld" : r.rag.toUpperCase()) },
    ],
    `Targets as at the end of ${result.asAt.label}`,
  );
  html += `<p class="note">${escapeHtml(result.rules)} “vs baseline”: the count to date against the baseline over the same months, with the exact test's p-value (two-sided); * = a baseline given as a number, spread by the profile. Expected to date: the target spread over the months by ${rows.some((r) => r.profile === "seasonal") ? "the seasonal profile of the baseline year (each month's daily rate × its days) or, for small baselines, by days" : "the days in each month"}.</p>`;

  const drawnRows = seriesRows.filter((s) => !heldTargets.has(s.id));
  const svg = await renderSvg(trajectoryFigure(drawnRows, rows.filter((r) => !heldTargets.has(r.id))));
  if (drawnRows.length) html += `<figure${dc.figure(["cumulative count"])}>${svg}<figcaption>Cumulative count since the start of each target period (blue) against the trajectory to the target (red, dashed) and the baseline (grey, dotted). From ${escapeHtml(result.asAt.label)}: the run-rate projection with its 95% prediction band (shaded).${dc.active && heldTargets.size ? ` Targets whose months hold a count withheld for small numbers are not drawn. ${dc.tallyWords(dc.tallies.find((t) => t.name === seriesName)!)}` : ""}</figcaption></figure>`;
  // The summary: the RAG count, and the targets at risk by name.
  const red = rows.filter((r) => r.rag === "red").map((r) => r.name);
  const amber = rows.filter((r) => r.rag === "amber").map((r) => r.name);
  const findings: Finding[] = [
    {
      section: "performance",
      text: `Targets as at the end of ${result.asAt.label}: ${count("green")} of ${rows.length} green (on track), ${count("amber")} amber, ${count("red")} red (significantly behind)${red.length ? ` — red: ${red.join("; ")}` : ""}${amber.length ? `${red.length ? "; amber" : " — amber"}: ${amber.join("; ")}` : ""}.`,
      order: 60,
    },
  ];
  return {
    findings,
    section: { id: "performance", title: "Performance against targets", html },
    files: [
      { name: progressName, rows: rows.map((r) => ({ ...r })), disclosure: TARGETS_PROGRESS_SPEC },
      { name: seriesName, rows: seriesRows, disclosure: TARGETS_SERIES_SPEC },
    ],
  };
}

/** A progress row as shown: under `--public` a count and what is measured from it may be withheld (`null`). */
type ShownRow = { [K in keyof TargetProgressRow]: K extends "id" | "name" | "baselineLabel" | "direction" | "period" | "complete" | "baselineToDateMethod" ? TargetProgressRow[K] : TargetProgressRow[K] | null } & { suppressed?: string | null };

/** Progress rows of a target whose months hold a withheld count: everything measured from the data withheld (the months give the total to date back). */
function withholdTargets(rows: readonly TargetProgressRow[], held: ReadonlySet<string>, dc: DisclosureContext): ShownRow[] {
  if (!dc.active) return rows as ShownRow[];
  const why = "series: the target's months hold a withheld count";
  return rows.map((r) => {
    const s = r as ShownRow;
    if (!held.has(r.id)) return s;
    const out: Record<string, unknown> = { ...s, actual: null, baselineToDate: null, baseline: null, suppressed: s.suppressed ? `${s.suppressed}; ${why}` : why };
    for (const c of TARGETS_PROGRESS_SPEC.derived ?? []) out[c] = null;
    return out as ShownRow;
  });
}
