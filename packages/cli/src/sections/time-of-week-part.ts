import { PRECISION, clockFor, type IncidentTable } from "@community-safety/core";
import { peakWindow, timeOfWeek, uniformityTest, WEEKDAY_NAMES } from "@community-safety/trends";
import { escapeHtml, upperFirst } from "../report/html.js";
import { renderSvg } from "../report/figures.js";
import { timeOfWeekFigure, type TimeOfWeekRow } from "@community-safety/figures";
import type { OutputFile } from "./output.js";
import { DisclosureContext } from "../report/public-outputs.js";
import type { CountsDisclosure } from "../report/public-rows.js";
import type { Finding } from "./summary-section.js";

/**
 * trends-time-of-week.csv: aoristic weights by day × hour. A weight is a fractional count (each
 * incident's window shared over the hours it spans), protected as a count: under `suppress` a
 * weight above 0 and below the threshold is withheld, with secondary suppression along days and
 * hours; under `round` every weight is rounded to the base. (A weight under 1 can be part of
 * one incident; withholding below the threshold treats the cell as a count of that size.)
 */
export const TIME_OF_WEEK_SPEC: CountsDisclosure = { kind: "counts", counts: ["weight"], dimensions: ["day", "hour"], derived: ["share"] };

const pad = (h: number) => `${String(h).padStart(2, "0")}:00`;
const fmtP = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);

/**
 * The day-of-week × hour picture for timestamped incidents: an aoristic heat map (days start
 * at 06:00 so a Saturday night stays Saturday), the peak 4-hour block over 3 nights, the tests
 * that weekdays and hours are not uniform, and a warning when many times sit exactly on
 * midnight (a default time rather than a real one).
 */
export async function timeOfWeekPart(table: IncidentTable, areaName: string, dc: DisclosureContext = new DisclosureContext(null)): Promise<{ html: string; files: OutputFile[]; findings: Finding[] }> {
  const dayStartHour = 6;
  const tw = timeOfWeek(table, { dayStartHour, coarse: "exclude", dayPrecision: "exclude" });
  let html = `<h3>Time of day and week</h3>`;
  if (tw.used === 0) return { html: `${html}<p class="note">No incident is known to the hour.</p>`, files: [], findings: [] };
  const ex = tw.excluded;
  const excluded = ex.precisionTooCoarse + ex.dayPrecision + ex.windowTooLong + ex.invalidWindow;

  const peak = peakWindow(tw, { hours: 4, days: 3, noun: "incidents" });
  const lines: string[] = [];
  if (peak) lines.push(dc.small(peak.weight) ? dc.withheldSentence(`The busiest ${peak.hours}-hour block`, "in it") : peak.sentence);
  // Monte Carlo p-values (seeded, as R's chisq.test(simulate.p.value = TRUE)) beside the χ² ones.
  // (Only for up to 20,000 incidents: beyond that the χ² approximation is exact to many digits,
  // and the sampler's cost grows with n.)
  const withMc = (by: "weekday" | "hour") => {
    const plain = uniformityTest(tw, { by });
    return plain && plain.n <= 20_000 ? uniformityTest(tw, { by, simulate: { replicates: 1999, seed: 1 } }) : plain;
  };
  const byDay = withMc("weekday");
  const byHour = withMc("hour");
  const mc = (r: { simulated: { pValue: number; replicates: number } | null }) => (r.simulated ? `; Monte Carlo p = ${r.simulated.pValue.toFixed(4)} from ${r.simulated.replicates.toLocaleString("en-GB")} seeded samples` : "");
  const days = [...WEEKDAY_NAMES];
  if (byDay && dc.small(byDay.n)) lines.push(dc.withheldSentence("The days of the week", "known to the day"));
  else if (byDay) {
    const top = [...tw.byWeekday.keys()].sort((a, b) => tw.byWeekday[b] - tw.byWeekday[a]);
    lines.push(
      `${byDay.pValue < 0.05 ? "Incidents are not spread evenly over the days of the week" : "There is no clear difference between the days of the week"} (chi-square ${byDay.statistic.toFixed(1)} on ${byDay.df} df, ${fmtP(byDay.pValue)}${mc(byDay)}, ${byDay.n.toLocaleString("en-GB")} incidents known to the day); the busiest days are ${days[top[0]]} and ${days[top[1]]}, the quietest ${days[top[6]]}.`,
    );
  }
  if (byHour && dc.small(byHour.n)) lines.push(dc.withheldSentence("The hours of the day", "known to the hour"));
  else if (byHour) {
    lines.push(`${byHour.pValue < 0.05 ? "The hours of the day differ" : "The hours of the day do not differ clearly"} (chi-square ${byHour.statistic.toFixed(1)} on ${byHour.df} df, ${fmtP(byHour.pValue)}${mc(byHour)}, ${byHour.n.toLocaleString("en-GB")} incidents known to the hour).`);
  }

  // Midnight stamps: a default time piles incidents on 00:00 exactly.
  const clock = clockFor(table.zone);
  let minuteTimed = 0;
  let midnight = 0;
  const parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, weekday: 0 };
  for (let i = 0; i < table.length; ++i) {
    if (table.precision[i] !== PRECISION.minute) continue;
    minuteTimed += 1;
    clock.parts(table.start[i], parts);
    if (parts.hour === 0 && parts.minute === 0) midnight += 1;
  }
  const midnightShare = minuteTimed ? midnight / minuteTimed : 0;
  if (minuteTimed && midnightShare > 10 / 1440 && !dc.small(midnight)) {
    lines.push(
      `Caution: ${midnight.toLocaleString("en-GB")} incidents (${(100 * midnightShare).toFixed(1)}% of those timed to the minute) are stamped exactly 00:00, ${Math.round(midnightShare * 1440)} times what a real minute would hold — probably a default for an unknown time, which inflates the midnight hour.`,
    );
  }
  html += `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`;

  const values: Record<string, unknown>[] = [];
  const hourLabels = tw.hours.map(pad);
  for (let d = 0; d < 7; ++d) for (let h = 0; h < 24; ++h) values.push({ day: days[d], hour: hourLabels[h], weight: tw.matrix[d * 24 + h], share: tw.matrix[d * 24 + h] / tw.used });
  // Under --public the weights are protected before the figure and the CSV are built from them.
  const name = "trends-time-of-week.csv";
  const shown = dc.protect(name, values, TIME_OF_WEEK_SPEC);
  const svg = await renderSvg(timeOfWeekFigure(shown as unknown as TimeOfWeekRow[], { dayStartHour, days, title: `${upperFirst(areaName)}: incidents by day of week and hour` }));
  html += `<figure${dc.figure(["incidents", "weight"])}>${svg}<figcaption>Aoristic counts (Ratcliffe 2002): each incident's occurrence window is shared over the hours it spans, in proportion to its minutes, in ${escapeHtml(table.zone)} local time with clock changes respected; windows of a week or more are spread evenly. ${tw.used.toLocaleString("en-GB")} incidents used${excluded ? `; ${excluded.toLocaleString("en-GB")} left out (${[ex.precisionTooCoarse ? `${ex.precisionTooCoarse} known only to the month or year` : "", ex.dayPrecision ? `${ex.dayPrecision} known only to the day` : "", ex.windowTooLong ? `${ex.windowTooLong} windows too long` : "", ex.invalidWindow ? `${ex.invalidWindow} windows ending before they start` : ""].filter(Boolean).join(", ")})` : ""}. The tests use only incidents whose whole window lies in one day or hour.</figcaption></figure>`;
  if (dc.active) html += dc.note(name);
  const rows = shown.map((v) => (dc.active ? { day: v.day, hour: v.hour, weight: v.weight, suppressed: v.suppressed } : { day: v.day, hour: v.hour, weight: v.weight }));
  // The summary names the peak only when the days or the hours really differ (5% level).
  const uneven = (byDay !== null && byDay.pValue < 0.05) || (byHour !== null && byHour.pValue < 0.05);
  const findings: Finding[] = peak && uneven && !dc.small(peak.weight) ? [{ section: "trends", text: `The busiest time of the week: ${peak.sentence}`, order: 52 }] : [];
  return { html, files: [{ name, rows, disclosure: TIME_OF_WEEK_SPEC }], findings };
}
