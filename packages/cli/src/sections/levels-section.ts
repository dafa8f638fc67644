import {
  peerComparison,
  levels,
  categoryLabel,
  ALL,
  type IncidentTable,
  type LevelRow,
  type Period,
  type PeerComparisonResult,
} from "@community-safety/core";
import { htmlTable, fmtInt, fmtPct, fmtNum, escapeHtml, type Section, lowerFirst, upperFirst } from "../report/html.js";
import { renderSvg } from "../report/figures.js";
import { categoryBarsFigure, districtRatesFigure, monthlyBySourceFigure } from "@community-safety/figures";
import { rankWindow } from "./rank-window.js";
import { peerFunnelFigure } from "./peer-funnel.js";
import type { OutputFile } from "./output.js";
import { DisclosureContext } from "../report/public-outputs.js";
import type { Finding } from "./summary-section.js";
import type { CountsDisclosure } from "../report/public-rows.js";
import { headlineWords, type ReportCalendar } from "./report-calendar.js";
import { codesWhere } from "./row-tally.js";

export interface LevelsInput {
  /** Incidents in the area being assessed. */
  table: IncidentTable;
  /** Name of the area ("Charnwood", "Wreford borough"). */
  areaName: string;
  /** The whole input (for the county picture), with residents per district. */
  county?: { table: IncidentTable; population: ReadonlyMap<string, number>; name: string; populationNote: string; picture?: CountyPictureCache };
  /** Residents of the assessed area, when known. */
  areaPopulation?: number;
  /** The report's time frame. */
  calendar: ReportCalendar;
  /** Disclosure control for publication (`assess --public`); none by default. */
  disclosure?: DisclosureContext;
}

/** The county picture of one period: rates by district and the peer comparison (whole input). */
export interface CountyPicture {
  readonly rates: LevelRow[];
  readonly peers: PeerComparisonResult;
}

/**
 * County pictures by period key, computed once from the whole input and shared by every area's
 * report (`assess --all-areas`): each area's levels section then reads the picture instead of
 * scanning the whole table again.
 */
export type CountyPictureCache = Map<string, CountyPicture>;

/** Rates per 1,000 by district and the peer comparison for `period`, from the whole input. */
export function countyPicture(all: IncidentTable, population: ReadonlyMap<string, number>, period: Period, fyStartMonth: number): CountyPicture {
  const countyCrimes = crimeCategories(all);
  const rates = levels(all, { by: ["district"], categories: countyCrimes, periods: [period], population, totals: ["district"], fyStartMonth });
  const peers = peerComparison(all, { population, period, categories: countyCrimes, fyStartMonth });
  return { rates: rates.rows, peers };
}

/** levels-financial-year-category.csv: counts by reporting year × source × category. */
export const LEVELS_YEAR_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count"],
  dimensions: ["period", "source", "category"],
  other: { label: "the category's name", complete: "whether the data cover the whole period", coverage: "the share of the period the data cover" },
};

/** levels-month-source.csv: counts by month × source (blank where the data do not cover the month). */
export const LEVELS_MONTH_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count"],
  dimensions: ["period", "source"],
  derived: ["share", "rate"],
  other: { population: "residents, when known (published estimates)", coverage: "the share of the month the data cover" },
};

/** levels-district-rates.csv: recorded crime by district in the headline period, with the all-district row. */
export const LEVELS_DISTRICT_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count"],
  dimensions: ["district"],
  derived: ["share", "rate"],
  other: { population: "residents (the population file, published estimates)", coverage: "unused here (no period dimension)" },
};

/** peer-funnel.csv: each district's rate against the group's funnel limits. */
export const PEER_FUNNEL_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count"],
  dimensions: ["area"],
  derived: ["rate", "lower", "upper", "position", "poissonPosition", "sentence"],
  other: {
    population: "residents (published estimates)",
    expected: "residents × the group rate",
    lower998: "99.8% funnel limit at the district's population (allowing for the usual variation between districts)",
    upper998: "99.8% funnel limit at the district's population (allowing for the usual variation between districts)",
  },
};

const SOURCE_LABELS: Record<string, string> = {
  "police-recorded-crime": "Police recorded crime",
  "asb-incident": "Anti-social behaviour incidents",
  "deliberate-fire": "Deliberate fires",
  "ambulance-callout": "Ambulance call-outs (assault)",
  "hospital-admission": "Hospital admissions (assault)",
};
/** A readable label for a source key. */
export function sourceLabel(key: string | null): string {
  return key === null ? "(unknown source)" : (SOURCE_LABELS[key] ?? key);
}

/**
 * A category's label for a chart axis, naming its source only where the label does not already
 * say it: "Burglary" (police recorded crime), "Ambulance call-outs (assault)" rather than
 * "Assault (ambulance call-outs (assault))", "Deliberate secondary fire" rather than "Deliberate
 * secondary fire (deliberate fires)".
 */
export function chartLabel(label: string, source: string | null): string {
  if (source === "police-recorded-crime" || source === "asb-incident") return label;
  const src = sourceLabel(source);
  const l = label.toLowerCase();
  if (src.toLowerCase().includes(l)) return src;
  if (l.includes(src.toLowerCase().split(/[\s(]+/)[0])) return label;
  return `${label} (${src.toLowerCase()})`;
}

/**
 * Up to this many crime types in the data, the data are read as an extract of those types (a
 * city's aggravated assaults, its burglaries), not as all recorded crime: sentences name the
 * types ("Chicago recorded 15,328 crimes of aggravated assault (the only crime type in the data)")
 * and shares are of those crimes, not "of all recorded crime".
 */
export const NARROW_EXTRACT = 3;

/**
 * The name of all the crime in the data, as the subject of a sentence ("… has been falling"):
 * "All recorded crime"; for an extract of one crime type its label ("Aggravated assault"); for
 * two or three, "All crime in the data (aggravated burglary and burglary)".
 */
export function allCrimeLabel(crimes: readonly string[]): string {
  if (crimes.length === 0 || crimes.length > NARROW_EXTRACT) return "All recorded crime";
  return crimes.length === 1 ? categoryLabel(crimes[0]) : `All crime in the data (${typeList(crimes)})`;
}

/** "aggravated burglary and burglary": the categories' labels in a list, lower-case first letters. */
function typeList(crimes: readonly string[]): string {
  const words = crimes.map((c) => lowerFirst(categoryLabel(c)));
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** Category keys whose incidents are police recorded crime (the denominator of "all recorded crime"). */
export function crimeCategories(table: IncidentTable): string[] {
  const crimeSource = table.source.values.indexOf("police-recorded-crime");
  const seen = crimeSource < 0 ? new Set<number>() : codesWhere(table.category.codes, table.source.codes, crimeSource, table.category.values.length);
  return [...seen].map((c) => table.category.values[c]!).sort();
}

export async function levelsSection(input: LevelsInput): Promise<{ section: Section; files: OutputFile[]; latest: Period | null; findings: Finding[] }> {
  const { table, areaName, calendar: cal } = input;
  const dc = input.disclosure ?? new DisclosureContext(null);
  const files: OutputFile[] = [];
  const latest = cal.headline;
  if (!latest) return { section: { id: "levels", title: "Levels", html: "<p>No incidents in any covered month.</p>" }, files, latest: null, findings: [] };
  const fyStartMonth = cal.fyStartMonth;
  // The year columns: each reporting year with any coverage, and the headline period when it is not a year.
  const columns = cal.headlineKind === "year" ? cal.years.map((y) => y.period) : [...cal.years.map((y) => y.period), latest];
  const previous = cal.headlineKind === "year" && cal.complete.length >= 2 ? cal.complete[cal.complete.length - 2] : undefined;
  const crimes = crimeCategories(table);
  const partial = (p: Period) => {
    const y = cal.years.find((x) => x.period.key === p.key);
    if (!y) return p.label;
    return y.coverage >= 1 ? p.key : `${p.key} (part: ${y.covered})`;
  };
  const when = headlineWords(cal);

  // Counts by reporting year (and the headline period) × source × category.
  const byFy = levels(table, { by: ["period", "source", "category"], periods: columns, zeroFill: false, fyStartMonth });
  const rawOf = new Map<string, number>();
  for (const r of byFy.rows) rawOf.set(`${r.period}|${r.source}|${r.category}`, r.count);
  const raw = (period: string, category: string, source = "police-recorded-crime") => rawOf.get(`${period}|${source}|${category}`) ?? 0;
  // Every (source, category) present in the data, zero-filled across every covered year: the
  // CSV's cells, protected under --public before the table, figure and sentences are built from them.
  const coverageOf = (p: Period) => cal.years.find((y) => y.period.key === p.key)?.coverage ?? 1;
  const pairs = [...new Set(byFy.rows.map((r) => `${r.source}|${r.category}`))].map((k) => k.split("|"));
  const yearName = "levels-financial-year-category.csv";
  const long = dc.protect(
    yearName,
    pairs.flatMap(([source, category]) => columns.map((period) => ({ period: period.key, source, category, label: categoryLabel(category), count: raw(period.key, category, source), complete: coverageOf(period) >= 1, coverage: coverageOf(period) }))),
    LEVELS_YEAR_SPEC,
  );
  const countOf = new Map<string, number | null>();
  const hidden = new Set<string>();
  for (const r of long) {
    const key = `${r.period}|${r.source}|${r.category}`;
    countOf.set(key, r.count);
    if (dc.withheld(r) || dc.small(rawOf.get(key))) hidden.add(key);
  }
  /** The published count (withheld: `null`; rounded under `round`). */
  const count = (period: string, category: string, source = "police-recorded-crime") => countOf.get(`${period}|${source}|${category}`) ?? 0;
  /** Whether values derived from a count (a share, a sentence) must be withheld: the count is withheld or small. */
  const hide = (period: string, category: string, source = "police-recorded-crime") => hidden.has(`${period}|${source}|${category}`);

  // Shares of all recorded crime in the headline period (the latest whole year, else the latest 12 covered months).
  let html = "";
  const sentences: string[] = [];
  let crimeShares: LevelRow[] = [];
  /** A count for a sentence: its published value, or "fewer than 5" when withheld. */
  const said = (n: number) => {
    const c = dc.count(n);
    return c === null ? `fewer than ${dc.threshold}` : fmtInt(c);
  };
  if (crimes.length) {
    crimeShares = levels(table, { by: ["category"], categories: crimes, periods: [latest] }).rows.sort((a, b) => b.count - a.count);
    const totalCrime = crimeShares.reduce((s, r) => s + r.count, 0);
    const asb = raw(latest.key, "anti-social-behaviour", "asb-incident");
    const narrow = crimes.length <= NARROW_EXTRACT;
    const scope = narrow ? ` of ${typeList(crimes)} (the only crime ${crimes.length === 1 ? "type" : "types"} in the data)` : "";
    const ofAll = narrow ? "of them" : "of all recorded crime";
    sentences.push(
      `In ${when} ${areaName} recorded ${said(totalCrime)} crimes${scope}` +
        (asb ? ` and ${said(asb)} incidents of anti-social behaviour.` : "."),
    );
    const [top, second] = crimeShares;
    // (One crime type only — a city extract of aggravated assaults — has no share to state.)
    if (top && top.count > 0 && crimeShares.filter((r) => r.count > 0).length > 1) {
      if (hide(latest.key, top.category as string)) sentences.push(dc.withheldSentence(`The share of ${categoryLabel(top.category as string).toLowerCase()} in ${narrow ? "these crimes" : "all recorded crime"}`, `in ${when}`));
      else {
        const topLabel = categoryLabel(top.category as string);
        sentences.push(
          `${topLabel} ${pluralLabel(topLabel) ? "account" : "accounts"} for ${fmtPct(top.share)} ${ofAll}` +
            (second && second.count > 0 && !hide(latest.key, second.category as string) ? `, ${categoryLabel(second.category as string).toLowerCase()} for ${fmtPct(second.share)}.` : "."),
        );
      }
    }
    if (input.areaPopulation && !dc.small(totalCrime)) {
      sentences.push(`That is ${fmtNum((totalCrime / input.areaPopulation) * 1000, 1)} crimes per 1,000 residents (${fmtInt(input.areaPopulation)} residents).`);
    }
  }
  if (!crimes.length) {
    const incidents = byFy.rows.filter((r) => r.period === latest.key).reduce((a, r) => a + r.count, 0);
    const asbOnly = table.category.values.every((v) => v === null || v === "anti-social-behaviour");
    sentences.push(`In ${when} ${areaName} recorded ${said(incidents)} ${asbOnly ? "incidents of anti-social behaviour" : "incidents"}.`);
  }
  html += `<p class="lead">${escapeHtml(sentences.join(" "))}</p>`;
  // The summary opens with the level: how many crimes (and ASB), the largest type's share, the rate.
  const findings: Finding[] = [{ section: "levels", text: sentences.join(" "), order: 10 }];

  // Table: category × reporting year, one row per source and category (withheld rows last under --public:
  // a withheld count sorted among published ones would be bounded by its neighbours).
  const yearKeys = columns.map((p) => p.key);
  const at = yearKeys.indexOf(latest.key);
  const tableRows = pairs
    .map(([source, category]) => ({
      source,
      category,
      label: categoryLabel(category),
      counts: yearKeys.map((y) => count(y, category, source)),
      share: source === "police-recorded-crime" && !hide(latest.key, category, source) ? (crimeShares.find((r) => r.category === category)?.share ?? null) : null,
    }))
    .sort((a, b) => (b.counts[at] ?? -1) - (a.counts[at] ?? -1));
  // CSV: every (source, category) present in the data, zero-filled across every covered year.
  const longOf = new Map(long.map((r) => [`${r.period}|${r.source}|${r.category}`, r]));
  files.push({
    name: yearName,
    rows: tableRows.flatMap((r) => columns.map((period) => longOf.get(`${period.key}|${r.source}|${r.category}`)!)),
    disclosure: LEVELS_YEAR_SPEC,
  });
  html += dc.table(yearName, tableRows, [
    { header: "Category", value: (r) => r.label },
    { header: "Source", value: (r) => sourceLabel(r.source) },
    ...columns.map((p, k) => ({ header: partial(p), value: (r: (typeof tableRows)[number]) => r.counts[k], format: fmtInt, numeric: true, kind: "count" as const })),
    { header: `Share of recorded crime ${latest.unit === "range" ? latest.label : latest.key}`, value: (r) => r.share, format: (v) => (v === null ? "–" : fmtPct(v)), numeric: true, kind: "derived" },
  ], `Incidents by category and ${cal.yearWord}, ${areaName}`);
  const partYears = cal.years.filter((y) => y.coverage < 1);
  if (partYears.length) {
    html += `<p class="note">${escapeHtml(`Years marked “part” are only partly covered by the data (${partYears.map((y) => `${y.period.key}: ${y.covered}`).join("; ")}): their counts are for those months only and are not compared with whole years. ${cal.headlineKind === "year" ? "" : `No ${cal.yearWord} is wholly covered, so the headline figures are for ${when}.`}`)}</p>`;
  }

  // Figure: latest vs previous complete year by category.
  if (previous) {
    const label = (r: (typeof tableRows)[number]) => chartLabel(r.label, r.source);
    const values = tableRows.flatMap((r) => [
      { category: label(r), year: previous.key, n: count(previous.key, r.category, r.source) },
      { category: label(r), year: latest.key, n: count(latest.key, r.category, r.source) },
    ]);
    const svg = await renderSvg(categoryBarsFigure(values, { order: tableRows.map(label), title: `${upperFirst(areaName)}: incidents by category, ${previous.key} and ${latest.key}`, yearWord: cal.yearWord }));
    html += `<figure${dc.figure(["incidents"])}>${svg}<figcaption>Incidents by category in the two latest wholly covered ${cal.yearWord}s (${cal.yearMonths}).</figcaption></figure>`;
  }

  // Figure: monthly counts of crime and ASB, broken where the data do not cover a month.
  const monthly = levels(table, { by: ["period", "source"], periods: "month", coarse: "exclude" });
  // Protected on the counts as counted, then blank where the month is not wholly covered (unknown).
  const monthName = "levels-month-source.csv";
  const monthRows = dc.protect(monthName, monthly.rows, LEVELS_MONTH_SPEC);
  files.push({ name: monthName, rows: monthRows.map((r) => ({ ...r, count: r.coverage !== null && r.coverage >= 1 ? r.count : null })), disclosure: LEVELS_MONTH_SPEC });
  const runOf = new Map<string, number>();
  let run = 0;
  let gap = false;
  for (const r of monthly.rows) {
    if (runOf.has(String(r.period))) continue;
    const covered = r.coverage !== null && r.coverage >= 1;
    if (!covered) gap = true;
    else {
      if (gap) run += 1;
      gap = false;
      runOf.set(String(r.period), run);
    }
  }
  const monthSvg = await renderSvg(
    monthlyBySourceFigure(
      monthRows.filter((r) => runOf.has(String(r.period))).map((r) => ({ month: String(r.period), source: sourceLabel(r.source as string | null), n: r.count, run: runOf.get(String(r.period)) })),
      { title: `${upperFirst(areaName)}: incidents per month by source` },
    ),
  );
  html += `<figure${dc.figure(["incidents"])}>${monthSvg}<figcaption>Incidents per calendar month by source. ${run > 0 ? "The line breaks where the data do not cover a month (see the data quality section); those months are unknown, not zero." : "A month with no incident shows as zero."}${dc.active ? ` ${dc.tallyWords(dc.tallies.find((t) => t.name === monthName)!)} (levels-month-source.csv)` : ""}</figcaption></figure>`;

  // County picture: rate per 1,000 by district, rolled up.
  if (input.county) {
    const { table: all, population, name, populationNote } = input.county;
    const cache = input.county.picture;
    let picture = cache?.get(latest.key);
    if (!picture) {
      picture = countyPicture(all, population, latest, fyStartMonth);
      cache?.set(latest.key, picture);
    }
    const rates = { rows: picture.rates };
    const isNamed = (r: LevelRow) => r.district !== ALL && r.district !== null && population.has(r.district as string);
    const rawNamed = rates.rows.filter(isNamed);
    const outside = rates.rows.filter((r) => r.district !== ALL && !isNamed(r)).reduce((s, r) => s + r.count, 0);
    const ratesName = "levels-district-rates.csv";
    const protectedRates = dc.protect(ratesName, rates.rows, LEVELS_DISTRICT_SPEC);
    files.push({ name: ratesName, rows: protectedRates, disclosure: LEVELS_DISTRICT_SPEC });
    const rows = protectedRates.filter((r) => r.district === ALL || isNamed(r));
    const countyRow = rows.find((r) => r.district === ALL)!;
    const named = rows.filter((r) => r.district !== ALL).sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0));
    // The all-district row of the table: the named districts' total, published only when none of
    // them is withheld (else the total less the others would give the withheld one back).
    const namedCount = rawNamed.reduce((s, r) => s + r.count, 0);
    const namedWithheld = named.some((r) => dc.withheld(r));
    const countyRate = rows.length > 1 ? namedCount / named.reduce((s, r) => s + (r.population ?? 0), 0) * 1000 : NaN;
    const outsideCount = dc.count(outside);
    html += `<h3>${escapeHtml(name)}: the county picture</h3>`;
    html += `<p>Recorded crime per 1,000 residents in ${when}, by district. ${escapeHtml(populationNote)} ${outside ? `${outsideCount === null ? `Fewer than ${dc.threshold}` : fmtInt(outsideCount)} crimes snapped to areas outside these districts or with no location are excluded from the rates.` : ""}</p>`;
    // A long list (a national run compares each area with 300 others) is shown as the area among
    // its neighbours in the ranking, with the highest and lowest for scale; the file has them all.
    const rated = named.filter((r) => r.rate !== null);
    const focusAt = rated.findIndex((r) => r.district === areaName);
    const window = rankWindow(rated, focusAt, { max: RANK_WINDOW.max, ends: RANK_WINDOW.ends, around: RANK_WINDOW.around });
    const windowed = window.length < rated.length;
    if (windowed) {
      const unrated = named.length - rated.length;
      html += `<p>${escapeHtml(
        `${focusAt >= 0 ? `${upperFirst(areaName)} has the ${rankWords(focusAt + 1, rated.length)} rate of the ${fmtInt(rated.length)} districts.` : `${upperFirst(areaName)} is not ranked (no rate: ${dc.active ? "withheld, or " : ""}no residents in the population file).`} ` +
          `The table and chart show the ${RANK_WINDOW.ends} highest and ${RANK_WINDOW.ends} lowest rates${focusAt >= 0 ? ` and the ${RANK_WINDOW.around} districts ranked either side of ${areaName}` : ""}; ` +
          `all ${fmtInt(named.length)} districts are in levels-district-rates.csv.${unrated ? ` ${fmtInt(unrated)} whose rate is withheld for small numbers are not ranked.` : ""}`,
      )}</p>`;
    }
    type RateTableRow = Omit<(typeof named)[number], "count"> & { count: number | null; rank?: number };
    const tableRows: RateTableRow[] = windowed ? window.map((w) => ({ ...w.item, rank: w.rank })) : named;
    html += dc.table<RateTableRow>(ratesName, [...tableRows, { ...countyRow, district: name, count: namedWithheld ? null : dc.count(namedCount), population: named.reduce((s, r) => s + (r.population ?? 0), 0), rate: namedWithheld ? null : countyRate }], [
      ...(windowed ? [{ header: "Rank", value: (r: RateTableRow) => r.rank ?? null, format: fmtInt, numeric: true, kind: "other" as const }] : []),
      { header: "District", value: (r) => r.district },
      { header: "Crimes", value: (r) => r.count, format: fmtInt, numeric: true, kind: "count" },
      { header: "Residents", value: (r) => r.population, format: fmtInt, numeric: true, kind: "other" },
      { header: "Per 1,000", value: (r) => r.rate, format: (v) => fmtNum(v, 1), numeric: true, kind: "derived" },
    ]);
    // A cut list's bars are labelled with their ranks ("45. Adur"), so the jumps show.
    const drawn = windowed
      ? window.map((w) => ({ district: `${w.rank}. ${w.item.district}`, rate: w.item.rate, focus: w.item.district === areaName }))
      : named.filter((r) => !dc.active || r.rate !== null).map((r) => ({ district: String(r.district), rate: r.rate, focus: r.district === areaName }));
    const svg = await renderSvg(
      districtRatesFigure(drawn, {
        overall: namedWithheld ? null : countyRate,
        title: `Recorded crime per 1,000 residents, ${latest.key}`,
      }),
    );
    html += `<figure${dc.figure([])}>${svg}<figcaption>Bars: ${windowed ? `${fmtInt(drawn.length)} of the ${fmtInt(named.length)} districts, as in the table above, each with its rank` : "districts"} (the assessed area darker). Dashed line: ${escapeHtml(name)} as a whole.${!windowed && dc.active && named.some((r) => r.rate === null) ? " Districts whose rate is withheld for small numbers are not drawn." : ""}</figcaption></figure>`;

    // Funnel plot: is any district's rate beyond what chance and the usual variation between
    // districts allow for its size (random-effects limits by default)? Districts with
    // residents but no row in the input (the Leicestershire county files leave out Leicester
    // City) are not peers: peerComparison leaves them out of the group rate and lists them.
    const peers = picture.peers;
    const funnelName = "peer-funnel.csv";
    const peerRows = dc.protect(funnelName, peers.rows.map(({ limits, ...r }) => ({ ...r, lower998: limits.at(-1)?.lower, upper998: limits.at(-1)?.upper })), PEER_FUNNEL_SPEC);
    if (peers.excluded.length) {
      html += `<p class="note">${escapeHtml(`Not compared (residents but no incident in the input, so the extract does not hold them): ${peers.excluded.map((e) => `${e.area} (${fmtInt(e.population)} residents)`).join(", ")}.`)}</p>`;
    }
    if (peers.groupRate !== null && peers.rows.length >= 3) {
      const funnel = await peerFunnelFigure({ groupRate: peers.groupRate, per: peers.per, overdispersion: peers.overdispersion, rows: peerRows, areaName, period: latest.key });
      html += `<figure${dc.figure([])}>${funnel.svg}<figcaption>${funnel.caption}</figcaption></figure><p class="note">${funnel.note}</p>`;
      const withheldPeers = peerRows.filter((r) => dc.withheld(r)).map((r) => `<li>${escapeHtml(dc.withheldSentence(r.area, `in ${when}`))}</li>`);
      const outside = peerRows.filter((r) => r.position !== null && r.position !== "within");
      const poissonOut = peerRows.filter((r) => r.poissonPosition === "above" || r.poissonPosition === "below").length;
      const none = peers.overdispersion.randomEffects
        ? `No district is outside the 99.8% limits once the usual variation between districts is allowed for${poissonOut ? ` (${poissonOut} of ${peerRows.length} are outside the limits for chance alone)` : ""}.`
        : "No district is outside the 99.8% limits.";
      html += `<ul>${outside.map((r) => `<li>${escapeHtml(r.sentence)}</li>`).join("")}${outside.length || withheldPeers.length ? "" : `<li>${escapeHtml(none)}</li>`}${withheldPeers.join("")}</ul>`;
      if (dc.active) html += dc.note(funnelName);
      files.push({ name: funnelName, rows: peerRows, disclosure: PEER_FUNNEL_SPEC });
    }
  }
  return { section: { id: "levels", title: "Levels: how much, and of what", html }, files, latest, findings };
}

/** How the county picture's list of districts is cut when long (see {@link rankWindow}). */
export const RANK_WINDOW = { max: 25, ends: 3, around: 6 } as const;

/** A rank in words from the nearer end: "the highest", "the 3rd highest", "the 6th lowest" (rank 312 of 317), "the lowest". */
export function rankWords(rank: number, of: number): string {
  const fromTop = rank <= of - rank + 1;
  const k = fromTop ? rank : of - rank + 1;
  return `${k === 1 ? "" : `${ordinal(k)} `}${fromTop ? "highest" : "lowest"}`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st … */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
  return `${n.toLocaleString("en-GB")}${suffix}`;
}

/**
 * Whether a category label reads as a plural subject ("All other crimes account for …", "Drugs
 * account for …"): one word ending in "s" (not "ss"), or a label opening with "All" or "Other"
 * and ending in "s". Labels whose head noun comes first ("Possession of weapons",
 * "Violence and sexual offences") stay singular, as police.uk's categories are.
 */
export function pluralLabel(label: string): boolean {
  return /^[A-Za-z]+[^s]s$/.test(label) || /^(all|other)\b.*[^s]s$/i.test(label);
}
