import { categoryLabel, coveredSpans, periodIndex, projector, selectRows, spansContain, valueMask, type IncidentTable, type Period } from "@community-safety/core";
import {
  concentration,
  densestWindow,
  getisOrdGiStar,
  grid as makeGrid,
  gridCounts,
  gridGeoJSON,
  kernelDensity,
  pAdjust,
  streetCounts,
  streetCountsGeoJson,
  topShareSentence,
  assignAreas,
  emergingHotspots,
  EMERGING_HOTSPOT_LABELS,
  type PolygonFeatureCollection,
  type StreetCountRow,
} from "@community-safety/geo";
import { htmlTable, fmtInt, fmtPct, escapeHtml, type Section, upperFirst } from "../report/html.js";
import { renderSvg } from "../report/figures.js";
import { fileNameWord, type OutputFile } from "./output.js";
import { crimeCategories } from "./levels-section.js";
import { DisclosureContext } from "../report/public-outputs.js";
import type { CountsDisclosure } from "../report/public-rows.js";
import type { Finding } from "./summary-section.js";
import { cellCentre } from "../report/generalise-points.js";
import { streetName } from "../report/place-names.js";
import { areaMapFigure, emergingHotspotsMapFigure, gridMapFigure, intersectBounds, mapFrame, metreFeatures, topStreetsMapFigure, type Bounds, type GridMapCell } from "@community-safety/figures";
import { mapContext, type HotspotMapOptions, type MapContext } from "./hotspot-maps.js";
import { countFinite, firstOrder, quarterCellCounts, tallyCodes } from "./row-tally.js";

/**
 * hotspots-streets.csv (and the top rows in hotspots-streets.geojson): incidents per street or
 * place and crime type. A street is identified by its name, locality, kind and centroid (a
 * transient key for secondary suppression, not written); the point of a street with a small
 * count is moved to its 500 m cell's centre, and its name, LSOA and number of snap points —
 * which would place it as exactly — are withheld with it. Rank and cumulative share come from the
 * order of the counts, so they are withheld with them.
 */
export function streetsSpec(crs: string): CountsDisclosure {
  return {
    kind: "counts",
    counts: ["count"],
    dimensions: ["category", "street"],
    // A type's count over all streets is published (levels); a street's count over all types is not.
    margins: ["street"],
    derived: ["share", "cumulativeShare", "rank"],
    points: { crs, withhold: ["name", "lsoa", "points"] },
    other: { locality: "where the street is, in words (an MSOA-like LSOA-name prefix, a ward or a district)", kind: "street, place or unnamed snap point" },
    keys: { street: (r) => [r.name, r.locality, r.kind, r.x, r.y].map(String).join("|") },
  };
}

/** The concentration table (report only): a category's incidents, with statistics of all its streets (aggregates that give no street's count back; withheld only with a small total). */
const CONCENTRATION_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["incidents"],
  dimensions: ["category"],
  derived: ["units", "for25", "for50", "share50", "generalisedGini"],
};

/** The 250 m grid of the main crime type, every cell (protected as one table; hotspots-grid.csv and hotspots-gistar.geojson list its cells with an incident, a class or a density). */
const GRID_CELLS_SPEC: CountsDisclosure = { kind: "counts", counts: ["count"], dimensions: ["cell"] };

/** Why the grid's statistics are published as they are under --public. */
const GRID_OTHER = {
  cls: "Gi* class (hot at q < 0.001, 0.01, 0.05; cold; not significant): a class, not the z a neighbourhood's counts could be solved from",
  kde: "kernel density per km², published only where it could hold the threshold or more incidents (a lone incident's kernel has a known peak), to 2 significant figures",
};

/** hotspots-grid.csv: the cells with an incident, a class or a density. */
export const GRID_CSV_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count"],
  dimensions: ["x", "y"],
  withheld: ["z", "q"],
  other: { x2: "the cell's east edge (m)", y2: "the cell's north edge (m)", ...GRID_OTHER },
};

/** hotspots-gistar.geojson: the grid cells with an incident, a class or a density, as polygons (the cells of hotspots-grid.csv). */
export const GISTAR_GEOJSON_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count"],
  dimensions: ["cell"],
  withheld: ["gistar", "q"],
  other: { col: "the cell's column", row: "the cell's row", cls: GRID_OTHER.cls, kdePerKm2: GRID_OTHER.kde },
};

/**
 * The fewest incidents in the densest square, or in a hot spot, for the summary to cite it: a
 * share of fewer is not a headline (2 of 9 is 22%, but its 95% Clopper–Pearson interval runs
 * from 3% to 60%). The section still gives the square and the hot spots with their counts.
 */
export const SUMMARY_MIN_DENSEST = 10;

/** hotspots-densest-1km.geojson: the densest 1 km square (polygon) and its centre (point). */
export const DENSEST_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count", "total"],
  dimensions: ["role"],
  derived: ["share", "place", "sentence"],
  other: { shape: "square", side: "metres", radius: "metres (none for a square)" },
};

/** hotspots-<areas>.csv and .geojson: the main crime type per area (beat, ward). */
export function areasSpec(layerProperties: readonly string[] = []): CountsDisclosure {
  return {
    kind: "counts",
    counts: ["count"],
    dimensions: ["area"],
    derived: ["share", "rate"],
    other: { name: "the area's name (areas layer)", population: "residents (the population file, published estimates)", ...Object.fromEntries(layerProperties.map((p) => [p, "a property of the areas layer (boundaries, published)"])) },
  };
}

/**
 * Where: the top streets and places per crime type (same-named streets in different places
 * kept apart), how concentrated each type is, the densest 1 km square of the main type, and a
 * Getis–Ord Gi* and kernel-density map of it on a British-National-Grid-aligned grid, with
 * every spatial result also written as GeoJSON.
 */
/** A polygon layer to break incidents down by (beats, wards), with the property naming each area. */
export interface AreasLayer {
  featureCollection: PolygonFeatureCollection;
  key: string;
  /** What the areas are, e.g. "beat" or "ward". */
  label: string;
  /** Residents per area, keyed like `key` (`--population … --population-level ward`): the table and map then give rates per 1,000. */
  population?: ReadonlyMap<string, number>;
  /** A feature property naming the area when `key` is a code (`ward_name` beside `ward_code`). */
  nameKey?: string;
}

export async function hotspotsSection(
  table: IncidentTable,
  areaName: string,
  period: Period | null,
  areas?: AreasLayer,
  dc: DisclosureContext = new DisclosureContext(null),
  mapOptions: HotspotMapOptions = {},
): Promise<{ section: Section; files: OutputFile[]; findings: Finding[] } | null> {
  const located = countFinite(table.x);
  if (located < 50) return null;
  const files: OutputFile[] = [];
  // The period mapped: the report's headline period (the latest whole year, else the latest 12 covered months).
  const inPeriod = period ? selectRows(table, (i) => table.start[i] >= period.start && table.start[i] < period.end) : table;
  const when = period ? (period.unit === "range" ? period.label : period.key) : "all the data";
  const crimes = crimeCategories(inPeriod);
  // Located incidents per category, in the order of their first rows (row-tally.ts: no row loop in this function).
  const byCategory = tallyCodes(inPeriod.category.codes, inPeriod.category.values.length, inPeriod.x);
  const sizes = new Map<string, number>();
  for (const c of firstOrder(byCategory)) if (inPeriod.category.values[c] !== null) sizes.set(inPeriod.category.values[c]!, byCategory.counts[c]);
  const ranked = [...sizes.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  const focus = ["burglary", "violent-crime", "anti-social-behaviour", "criminal-damage-arson", "vehicle-crime", "shoplifting", "robbery"].filter((c) => sizes.has(c));
  const types = (focus.length ? focus : ranked).slice(0, 6);
  const main = sizes.has("violent-crime") ? "violent-crime" : (crimes[0] ?? ranked[0]);
  // The maps' shared frame, the areas that are the assessed area's, its edge, and place names.
  const ctx = mapContext(table, period, areas, mapOptions, locatedBounds(inPeriod) ?? locatedBounds(table)!);
  // police.uk data name their force; other sources' locations are what the source gives.
  const policeUk = table.force.values.some((v) => v !== null && v !== "");
  let html = `<p class="note">${escapeHtml(`Maps and tables cover ${when}. ${policeUk ? `Police.uk locations are anonymised snap points (the centre of a street or a public place), so a "street" count is the count at its snap points.` : `Locations are the points and location text the source gives (an address, a block or a street), so a "street" here is that text.`}`)}</p>`;

  // ---- Streets and places ----------------------------------------------------------------
  const streets = streetCounts(inPeriod, { categories: types, by: "category" });
  // Under --public the street rows are protected once; the sentences, tables, map and files are built from them.
  const streetsName = "hotspots-streets.csv";
  const streetSpec = streetsSpec(streets.crs);
  const streetRows = publicStreetRows(dc.protect(streetsName, streets.rows, streetSpec) as (StreetCountRow & { suppressed?: string | null; position?: string })[], dc);
  const sentences: string[] = [];
  const concRows: Record<string, unknown>[] = [];
  for (const c of types) {
    const rows = streets.rows.filter((r) => r.category === c);
    if (!rows.length) continue;
    const shown = streetRows.filter((r) => r.category === c);
    // Under --public the sentence covers the leading streets whose counts are published (up to five).
    let k = 0;
    while (k < Math.min(5, shown.length) && !dc.withheld(shown[k])) k += 1;
    if (k === 0) {
      sentences.push(dc.withheldSentence(`${categoryLabel(c)}: the busiest streets and places`, "at each"));
    } else {
      const sentence = topShareSentence(streets, k, { category: c });
      const rest = k < Math.min(5, rows.length) ? ` (every other street or place has fewer than ${dc.threshold}, or its count is withheld)` : "";
      sentences.push(upperFirst(sentence) + rest);
    }
    const conc = concentration(rows.map((r) => r.count), { shares: [0.25, 0.5] });
    concRows.push({
      category: categoryLabel(c),
      incidents: conc.incidents,
      units: conc.units,
      for25: conc.shares[0]?.units ?? null,
      for50: conc.shares[1]?.units ?? null,
      share50: conc.shares[1]?.unitShare ?? null,
      generalisedGini: conc.generalisedGini,
    });
  }
  const locality = streets.locality;
  html += `<h3>Streets and places</h3><ul>${sentences.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>`;
  const top = types.flatMap((c) => streetRows.filter((r) => r.category === c).slice(0, 5));
  // Where a street is: the ward (beat) holding its snap point, with its town, when areas are given.
  const whereIs = (r: { x: number; y: number; locality: string | null }) => (ctx.areas ? (ctx.namer.areaPhrase(ctx.namer.areaAt(r.x, r.y)) ?? r.locality ?? "–") : (r.locality ?? "–"));
  html += dc.table(streetsName, top, [
    { header: "Crime type", value: (r) => categoryLabel(String(r.category)) },
    { header: "Rank", value: (r) => r.rank, numeric: true, kind: "derived" },
    { header: "Street or place", value: (r) => (dc.active && r.position !== "exact" ? "(withheld: fewer than " + dc.threshold + " incidents)" : `${r.name ?? "(unnamed)"}${r.kind === "place" ? " (place)" : ""}`) },
    { header: "Where", value: (r) => whereIs(r) },
    { header: "Incidents", value: (r) => r.count, format: fmtInt, numeric: true, kind: "count" },
    { header: "Share", value: (r) => r.share, format: (v) => fmtPct(v), numeric: true, kind: "derived" },
    { header: "Cumulative", value: (r) => r.cumulativeShare, format: (v) => fmtPct(v), numeric: true, kind: "derived" },
  ], `Top five streets and places per crime type, ${areaName}, ${when}`);
  html += `<p class="note">${escapeHtml(`A street is a name within a locality (${locality}): the same name in two towns is two streets.${ctx.areas ? ` Where: the ${ctx.areas.label} holding the street's ${policeUk ? "snap point" : "points"} (and its town, where the ${ctx.areas.label} names give one).` : ""}${policeUk ? ` Police.uk place categories ("Parking Area", "Supermarket", …) are places, one per snap point.` : ""}`)}</p>`;
  // The concentration statistics rest on every street count of the type: withheld when one is.
  const concName = "Concentration at streets and places";
  const concShown = dc.protect(concName, concRows, CONCENTRATION_SPEC);
  html += dc.table(concName, concShown, [
    { header: "Crime type", value: (r) => r.category },
    { header: "Incidents", value: (r) => r.incidents, format: fmtInt, numeric: true, kind: "count" },
    { header: "Streets and places", value: (r) => r.units, format: fmtInt, numeric: true, kind: "derived" },
    { header: "Holding 25%", value: (r) => r.for25, format: fmtInt, numeric: true, kind: "derived" },
    { header: "Holding 50%", value: (r) => r.for50, format: fmtInt, numeric: true, kind: "derived" },
    { header: "…as a share of those with any", value: (r) => r.share50, format: (v) => fmtPct(v), numeric: true, kind: "derived" },
    { header: "Generalised Gini", value: (r) => r.generalisedGini, format: (v) => (typeof v === "number" ? v.toFixed(2) : "–"), numeric: true, kind: "derived" },
  ], concName);
  html += `<p class="note">Generalised Gini: Bernasco &amp; Steenbeek (2017), which allows for there being more places than crimes (0 = spread evenly, 1 = all in as few places as the count allows).${dc.active ? " Under disclosure control these statistics are published: they summarise every street's count and give none of them back." : ""}</p>`;
  files.push({ name: streetsName, rows: dc.active ? streetRows : streets.rows.map((r) => ({ ...r })), disclosure: streetSpec });
  files.push({
    name: "hotspots-streets.geojson",
    rows: [],
    text: JSON.stringify(dc.active ? streetsGeoJson(top) : streetCountsGeoJson({ ...streets, rows: top as typeof streets.rows })),
    disclosure: streetSpec,
  });

  // ---- Densest 1 km square ------------------------------------------------------------------
  const inPeriodArea = ctx.namer.assign(inPeriod);
  const window = namedWindow(densestWindow(inPeriod, { shape: "square", side: 1000, categories: [main] }), inPeriod, inPeriodArea, ctx);
  const densest = densestOutputs(window, inPeriod.crs, dc);
  // Under --public a small count withholds the square's count, share and place (and its square on the map).
  const densestWithheld = dc.active && (dc.small(window.count) || dc.small(window.total));
  html += `<h3>Densest square kilometre</h3><p>${escapeHtml(densest.sentence)}</p>`;
  if (densest.geojson) files.push({ name: "hotspots-densest-1km.geojson", rows: [], text: densest.geojson, disclosure: DENSEST_SPEC });

  // ---- Grid: counts, Gi*, KDE ---------------------------------------------------------------
  const mainRows = selectRows(inPeriod, (i) => inPeriod.category.values[inPeriod.category.codes[i]] === main && Number.isFinite(inPeriod.x[i]));
  const cellSize = 250;
  const g = makeGrid({ x: mainRows.x, y: mainRows.y, crs: mainRows.crs }, { cellSize, margin: 500 });
  const counts = gridCounts(g, { x: mainRows.x, y: mainRows.y, crs: mainRows.crs }).counts;
  const band = cellSize * 1.5; // the cell and its 8 neighbours (queen contiguity) on a square grid
  const gi = getisOrdGiStar(counts, { x: g.x, y: g.y, distance: band });
  const q = pAdjust(gi.p, "BH");
  // A fixed 500 m bandwidth (two cells): the automatic rule (nrd on both axes) spreads over the
  // whole area's extent — kilometres for a borough — which is smoother than a street-level map needs.
  const kde = kernelDensity({ x: mainRows.x, y: mainRows.y, crs: mainRows.crs }, g, { bandwidth: 2 * cellSize });
  const classOf = (k: number) => {
    const z = gi.z[k];
    if (!Number.isFinite(z) || q[k] >= 0.05) return "not significant";
    return z > 0 ? (q[k] < 0.001 ? "hot (q < 0.001)" : q[k] < 0.01 ? "hot (q < 0.01)" : "hot (q < 0.05)") : "cold (q < 0.05)";
  };
  // Under --public: every cell's count protected as one table (the grid's total is published),
  // Gi* as classes only, kernel density only where it could hold the threshold or more incidents.
  const gridName = `${label0(main)}: 250 m grid cells (hotspots-grid.csv, hotspots-gistar.geojson)`;
  const gridCounts_ = dc.active ? Float64Array.from(dc.protect(gridName, Array.from(counts, (count, cell) => ({ cell, count })), GRID_CELLS_SPEC), (r) => r.count ?? NaN) : counts;
  const kdeShown = dc.active ? publicDensity(kde.densityPerKm2, kde.bandwidth, dc.threshold) : kde.densityPerKm2;
  const cells: Record<string, unknown>[] = [];
  const cellIndex: number[] = [];
  let hot = 0;
  let hotCount = 0;
  let hotWithheld = false;
  let total = 0;
  // Loops over cells and rows run in small functions of their own (why: row-tally.ts).
  const collectCells = () => {
    for (let k = 0; k < g.length; ++k) {
      total += counts[k];
      const cls = classOf(k);
      if (cls.startsWith("hot")) {
        hot += 1;
        hotCount += counts[k];
        if (Number.isNaN(gridCounts_[k])) hotWithheld = true;
      }
      if (counts[k] > 0 || cls !== "not significant" || kde.densityPerKm2[k] > 0) {
        cells.push({ x: g.x[k] - cellSize / 2, x2: g.x[k] + cellSize / 2, y: g.y[k] - cellSize / 2, y2: g.y[k] + cellSize / 2, count: dc.active ? nullIfNaN(gridCounts_[k]) : counts[k], z: dc.active ? null : gi.z[k], q: dc.active ? null : q[k], cls, kde: dc.active ? nullIfNaN(kdeShown[k]) : kde.densityPerKm2[k] });
        cellIndex.push(k);
      }
    }
  };
  collectCells();
  const label = categoryLabel(main);
  html += `<h3>${escapeHtml(`${label}: hot spots on a ${cellSize} m grid`)}</h3>`;
  // The hot cells' total is published only when none of their counts is withheld (else it would give one back).
  const hotShown = hotWithheld ? null : dc.count(hotCount);
  const totalShown = dc.count(total);
  const km2 = ((hot * g.area) / 1e6).toFixed(2);
  const hotWords =
    hotShown === null || totalShown === null
      ? `${hot} of ${g.length.toLocaleString("en-GB")} cells are significant hot spots (Getis–Ord Gi*, false discovery rate 5%), covering ${km2} km²; how many incidents they hold is withheld, as some hot cells hold fewer than ${dc.threshold}.`
      : `${hot} of ${g.length.toLocaleString("en-GB")} cells are significant hot spots (Getis–Ord Gi*, false discovery rate 5%), holding ${fmtInt(hotShown)} of ${fmtInt(totalShown)} incidents (${fmtPct(total ? hotCount / total : 0)}) in ${km2} km².`;
  html += `<p>${escapeHtml(hotWords)}</p>`;
  // Hot spots named by place: clusters of touching hot cells (queen contiguity), largest first.
  const mainArea = ctx.namer.assign(mainRows);
  const mainCell = gridCounts(g, { x: mainRows.x, y: mainRows.y, crs: mainRows.crs }).cell;
  const clusters = hotClusters(g, (k) => classOf(k).startsWith("hot"), counts);
  const clusterRows = new Map<number, number[]>();
  const clusterOf = new Int32Array(g.length).fill(-1);
  clusters.forEach((c, j) => c.cells.forEach((k) => (clusterOf[k] = j)));
  const gatherClusterRows = () => {
    for (let i = 0; i < mainRows.length; ++i) {
      const j = mainCell[i] >= 0 ? clusterOf[mainCell[i]] : -1;
      if (j < 0) continue;
      const list = clusterRows.get(j);
      if (list) list.push(i);
      else clusterRows.set(j, [i]);
    }
  };
  gatherClusterRows();
  const named = clusters.slice(0, 5).map((c, j) => {
    // Named by its busiest cell: the street and ward at the heart of the hot spot.
    const inPeak = (clusterRows.get(j) ?? []).filter((i) => mainCell[i] === c.peak);
    const place = ctx.namer.describe(mainRows, mainArea, inPeak.length ? inPeak : (clusterRows.get(j) ?? []), { fallbackArea: ctx.namer.areaAt(g.x[c.peak], g.y[c.peak]) });
    // A cluster's count is published only when none of its cells' counts is withheld.
    const shown = c.cells.some((k) => Number.isNaN(gridCounts_[k])) ? null : dc.count(c.count);
    return { ...c, place, shown };
  });
  if (named.length) {
    const words = ["", "", "two", "three", "four", "five"];
    html += `<p>${escapeHtml(clusters.length === 1 ? "The hot cells form one hot spot (numbered on the map), named by its busiest cell:" : `The hot cells form ${clusters.length} hot spots (groups of touching cells); the ${named.length === clusters.length ? words[named.length] ?? named.length : `${words[named.length] ?? named.length} largest`}, numbered on the map and named by their busiest cell:`)}</p><ol>${named
      .map((c) => `<li>${escapeHtml(`around ${c.place.phrase}: ${c.shown === null ? "incidents withheld (a cell holds fewer than " + dc.threshold + ")" : `${fmtInt(c.shown)} incidents`} in ${((c.cells.length * g.area) / 1e6).toFixed(2)} km²`)}</li>`)
      .join("")}</ol>`;
  }
  const { frame } = ctx;
  const giSvg = await renderSvg(
    gridMapFigure(ctx, cells.filter((c, i) => c.cls !== "not significant" || counts[cellIndex[i]] > 0) as GridMapCell[], {
      title: `${label}, ${when}: Getis–Ord Gi* hot spots`,
      measure: "gistar",
      labels: named.map((c, j) => ({ x: g.x[c.peak], y: g.y[c.peak], text: String(j + 1), kind: "feature" as const, priority: -j, radius: 4 })),
    }),
  );
  html += `<figure${dc.figure([])}${frame.figureAttributes(ctx.drawn)}>${giSvg}<figcaption>Getis–Ord Gi* on ${cellSize} m cells aligned to ${gridWords(mainRows.crs)}: each cell with its 8 neighbours and itself (binary weights, as spdep's localG with include.self); p-values adjusted by Benjamini–Hochberg. Grey: cells with incidents but no significant cluster. Numbers: the hot spots listed above. ${escapeHtml(mapCaption(ctx))} The cells with an incident, a density or a significant value are also written as hotspots-gistar.geojson for QGIS or Leaflet.</figcaption></figure>`;
  // The densest square on the density map (not when its count is withheld: it would be moved).
  const square = window.bounds && window.x !== null && !densestWithheld ? window.bounds : null;
  const kdeSvg = await renderSvg(gridMapFigure(ctx, cells.filter((c) => (c.kde as number) > 0) as GridMapCell[], { title: `${label}, ${when}: kernel density`, measure: "kde", box: square }));
  html += `<figure${dc.figure([])}${frame.figureAttributes(ctx.drawn)}>${kdeSvg}<figcaption>Quartic kernel density (incidents per km², integrating to the count), fixed bandwidth ${Math.round(kde.bandwidth)} m (two cells; the automatic rule, bandwidth.nrd on both axes, gives kilometres over a whole borough), evaluated at the centres of the same cells.${square ? " Dashed square: the densest square kilometre." : ""}${dc.active ? ` Under disclosure control the density is drawn only where it could hold ${dc.threshold} or more incidents (above ${fmt2(dc.threshold * quarticPeakPerKm2(kde.bandwidth))} per km²), to 2 significant figures: the peak of a lone incident's kernel is known, so a lower density would place it.` : ""}</figcaption></figure>`;
  if (dc.active) html += dc.note(gridName);
  const gistar = dc.active
    ? gistarPublic(gridGeoJSON(g, { values: { count: gridCounts_, gistar: gi.z, q, kdePerKm2: kdeShown }, digits: 6, cells: cellIndex }), classOf)
    : gridGeoJSON(g, { values: { count: counts, gistar: gi.z, q, kdePerKm2: kde.densityPerKm2 }, digits: 6, cells: cellIndex });
  files.push({ name: "hotspots-gistar.geojson", rows: [], text: JSON.stringify(gistar), disclosure: GISTAR_GEOJSON_SPEC });
  files.push({ name: "hotspots-grid.csv", rows: cells, disclosure: GRID_CSV_SPEC });

  // ---- Emerging hot spots (ASB and criminal damage, quarterly) -------------------------------
  const emerging = await emergingPart(table, dc, ctx);
  html += emerging.html;
  if (emerging.geojson) {
    files.push({
      name: "hotspots-emerging.geojson",
      rows: [],
      text: emerging.geojson,
      disclosure: { kind: "not-disclosive", reason: "400 m cells with an emerging hot spot pattern: quarters hot and cold (of the Gi* classes) and the Mann–Kendall z of their ranks; no counts, no points" },
    });
  }

  // ---- Top streets on the map ---------------------------------------------------------------
  // The map draws published counts at exact points only (a withheld or generalised street is not drawn).
  const mainStreets = streetRows.filter((r) => r.category === main && Number.isFinite(r.x) && (!dc.active || (r.count !== null && r.position === "exact"))).slice(0, 20);
  if (mainStreets.length) {
    const maxCount = Math.max(...mainStreets.map((r) => r.count));
    const streetSvg = await renderSvg(
      topStreetsMapFigure(ctx, mainStreets, {
        title: `${label}, ${when}: the top ${mainStreets.length} streets and places`,
        cells: cells.filter((c) => (c.count as number) > 0),
        maxCount,
      }),
    );
    html += `<figure${dc.figure(["incidents"])}${frame.figureAttributes(ctx.drawn)}>${streetSvg}<figcaption>${escapeHtml(`Circles: the top ${mainStreets.length} streets and places (size = incidents) at ${policeUk ? "their snap points' centre" : "the centre of their points"}, numbered by rank as in the table below, over the grid cells with any incident (grey). A number away from its circle is joined to it by a line. ${mapCaption(ctx)}`)}</figcaption></figure>`;
    // An inset on the town centre when the top streets crowd around the first: named there.
    const first = mainStreets[0];
    const near = mainStreets.filter((r) => Math.hypot(r.x - first.x, r.y - first.y) <= 1500);
    const fb = frame.bounds;
    if (near.length >= 6) {
      const nb = [Math.min(...near.map((r) => r.x)), Math.min(...near.map((r) => r.y)), Math.max(...near.map((r) => r.x)), Math.max(...near.map((r) => r.y))];
      const cx = (nb[0] + nb[2]) / 2;
      const cy = (nb[1] + nb[3]) / 2;
      const half = Math.max(600, (nb[2] - nb[0]) / 2 + 350, ((nb[3] - nb[1]) / 2 + 250) * 1.4);
      const ib: Bounds = [cx - half, cy - half / 1.4, cx + half, cy + half / 1.4];
      if (ib[2] - ib[0] < 0.35 * (fb[2] - fb[0])) {
        const inset = mapFrame(ib, inPeriod.crs, { width: frame.width, maxHeight: 460, margin: 0 });
        const shown = mainStreets.filter((r) => r.x >= inset.bounds[0] && r.x <= inset.bounds[2] && r.y >= inset.bounds[1] && r.y <= inset.bounds[3]);
        const first0 = ctx.namer.areaAt(first.x, first.y);
        const town = first0 >= 0 ? (ctx.namer.names[first0].town ?? ctx.namer.names[first0].name) : null;
        const insetSvg = await renderSvg(topStreetsMapFigure(ctx, shown, { title: `${label}, ${when}: the top streets${town ? ` in ${town}` : ""}, closer`, frame: inset, maxCount, names: true }));
        html += `<figure${dc.figure(["incidents"])}${inset.figureAttributes(intersectBounds(ctx.drawn, inset.bounds))}>${insetSvg}<figcaption>${escapeHtml(`Closer: the ${shown.length} of the top ${mainStreets.length} in this ${((ib[2] - ib[0]) / 1000).toFixed(1)} km × ${((ib[3] - ib[1]) / 1000).toFixed(1)} km view, named and numbered as in the table below.`)}</figcaption></figure>`;
      }
    }
    html += dc.table(streetsName, mainStreets, [
      { header: "No.", value: (r) => r.rank, numeric: true, kind: "derived" },
      { header: "Street or place", value: (r) => `${r.name ?? "(unnamed)"}${r.kind === "place" ? " (place)" : ""}` },
      { header: "Where", value: (r) => whereIs(r) },
      { header: "Incidents", value: (r) => r.count, format: fmtInt, numeric: true, kind: "count" },
    ], `The ${mainStreets.length} streets and places on the map: ${label.toLowerCase()}, ${when}`);
  }

  // ---- Areas (beats, wards) -----------------------------------------------------------------
  if (areas) {
    // One point-in-polygon pass over the period: every type marks the areas in the picture, the main type is counted.
    const all = assignAreas(inPeriod, areas.featureCollection, { key: areas.key });
    const isMain = valueMask(inPeriod.category, [main]);
    const perArea = new Float64Array(all.keys.length);
    let mainUnassigned = 0;
    // Rows with an area but no point (a partner's record with only a ward or beat code) go to the
    // area whose key they name, in their ward, beat or district column.
    const byKey = new Map<string, number>();
    all.keys.forEach((key, k) => {
      if (!byKey.has(key)) byKey.set(key, k);
    });
    const areaOnly = (i: number): number => {
      for (const col of [inPeriod.ward, inPeriod.beat, inPeriod.district]) {
        const v = col.values[col.codes[i]];
        if (v !== null && byKey.has(v)) return byKey.get(v)!;
      }
      return -1;
    };
    let placedByCode = 0;
    const countPerArea = () => {
      for (let i = 0; i < all.area.length; ++i) {
        let k = all.area[i];
        const counted = isMain[inPeriod.category.codes[i]] === 1;
        if (k < 0 && !Number.isFinite(inPeriod.x[i])) {
          k = areaOnly(i);
          if (k >= 0 && counted) placedByCode += 1;
        }
        if (k >= 0) {
          if (counted) perArea[k] += 1;
        } else if (counted && Number.isFinite(inPeriod.x[i])) mainUnassigned += 1;
      }
    };
    countPerArea();
    // The areas of the assessed area only (a neighbouring district's ward holding a few incidents on the border is not).
    const keep = ctx.areas!.keep;
    let outside = 0;
    for (let k = 0; k < perArea.length; ++k) if (!keep[k]) outside += perArea[k];
    let features = areas.featureCollection.features
      .map((f, k) => ({ ...f, properties: { ...(f.properties ?? {}), area: all.keys[k], count: perArea[k] } }))
      .filter((_, k) => keep[k] === 1);
    // The label is user input (--areas-label): the file names take a safe word of it.
    const fileWord = fileNameWord(areas.label);
    const areasName = `hotspots-${fileWord}s.csv`;
    const layerProps = [...new Set(areas.featureCollection.features.flatMap((f) => Object.keys(f.properties ?? {})))].filter((p) => p !== "area" && p !== "count");
    const spec = areasSpec(layerProps);
    // Area code, name, count, share of the area's total and, with residents, the rate per 1,000.
    const nameOf = new Map(areas.nameKey ? areas.featureCollection.features.map((f) => [String(f.properties?.[areas.key]), String(f.properties?.[areas.nameKey!] ?? "")]) : []);
    const totalAll = features.reduce((a, f) => a + f.properties.count, 0);
    const rawOut = features.map((f) => {
      const pop = areas.population?.get(String(f.properties.area));
      return {
        area: f.properties.area,
        ...(areas.nameKey ? { name: nameOf.get(String(f.properties.area)) ?? null } : {}),
        count: f.properties.count,
        share: totalAll ? f.properties.count / totalAll : null,
        ...(areas.population ? { population: pop ?? null, rate: pop ? (1000 * f.properties.count) / pop : null } : {}),
      };
    });
    const protectedOut = dc.protect(areasName, rawOut, spec);
    const countOf = new Map(protectedOut.map((r) => [r.area, r]));
    const rowsOut = dc.active
      ? [...protectedOut].sort((a, b) => (b.count ?? -1) - (a.count ?? -1))
      : protectedOut.sort((a, b) => b.count - a.count);
    if (dc.active) features = features.map((f) => ({ ...f, properties: { ...f.properties, count: countOf.get(f.properties.area)!.count as number } }));
    const totalIn = rawOut.reduce((a, r) => a + r.count, 0);
    const topTwo = rowsOut.slice(0, 2);
    /** An area as sentences name it: its name when the layer gives one beside a code, else its key. */
    const areaWord = (r: { area: unknown; name?: unknown }) => (typeof r.name === "string" && r.name ? r.name : String(r.area));
    html += `<h3>${escapeHtml(`${label} by ${areas.label}`)}</h3>`;
    if (topTwo.length === 2 && totalIn > 0) {
      if (topTwo.some((r) => r.count === null || dc.small(r.count)) || dc.small(totalIn)) {
        html += `<p>${escapeHtml(dc.withheldSentence(`The ${areas.label}s holding most ${label.toLowerCase()}`, `in a ${areas.label}`))}</p>`;
      } else {
        const unassigned = dc.count(mainUnassigned);
        const beyond = dc.count(outside);
        html += `<p>${escapeHtml(`${areaWord(topTwo[0])} (${fmtInt(topTwo[0].count)}) and ${areaWord(topTwo[1])} (${fmtInt(topTwo[1].count)}) hold ${fmtPct((topTwo[0].count + topTwo[1].count) / totalIn)} of the ${fmtInt(dc.count(totalIn))} incidents of ${label.toLowerCase()} in the ${rowsOut.length} ${areas.label}s.${mainUnassigned ? ` ${unassigned === null ? `Fewer than ${dc.threshold}` : fmtInt(unassigned)} located incidents lie in no ${areas.label}.` : ""}${outside ? ` ${beyond === null ? `Fewer than ${dc.threshold}` : fmtInt(beyond)} lie in ${areas.label}s mostly outside the area, which are not shown.` : ""}`)}</p>`;
      }
    }
    // The map: the areas in metres on the section's frame, coloured by their (published) counts;
    // a withheld count leaves its area grey.
    const shownCount = new Map(features.map((f) => [f.properties.area, f.properties.count]));
    const shownRate = new Map(protectedOut.map((r) => [r.area, (r as { rate?: number | null }).rate ?? null]));
    const byRate = areas.population !== undefined;
    const metres = metreFeatures(ctx.areas!.layer, (k) => keep[k] === 1, (k) => ({ area: all.keys[k], count: shownCount.get(all.keys[k]) ?? null, rate: shownRate.get(all.keys[k]) ?? null }), 0.5 / frame.scale);
    const areaSvg = await renderSvg(
      areaMapFigure(ctx, metres, { title: `${label}, ${when}: ${byRate ? "incidents per 1,000 residents" : "incidents"} by ${areas.label}`, measure: byRate ? "rate" : "count", areaLabel: areas.label }),
    );
    html += `<figure${dc.figure(["incidents"])}${frame.figureAttributes(ctx.drawn)}>${areaSvg}<figcaption>${escapeHtml(`${byRate ? `Incidents per 1,000 residents of each ${areas.label} (residents from the population file; a ${areas.label} without residents is grey)` : `Incidents per ${areas.label}`} (point in polygon; a point on a shared edge is counted once, by the rule in packages/geo/README.md${placedByCode ? `; ${dc.count(placedByCode) === null ? `fewer than ${dc.threshold}` : (dc.count(placedByCode) as number).toLocaleString("en-GB")} records with no point placed by the ${areas.label} code they give` : ""}).${dc.active ? ` Grey: a ${areas.label} whose count is withheld.` : ""} ${mapCaption(ctx)}`)}</figcaption></figure>`;
    if (dc.active) html += dc.note(areasName);
    files.push({ name: areasName, rows: rowsOut, disclosure: spec });
    files.push({ name: `hotspots-${fileWord}s.geojson`, rows: [], text: JSON.stringify({ type: "FeatureCollection", features }), disclosure: spec });
  }
  // For the summary: where things concentrate, named by place (street, town, ward).
  const findings: Finding[] = [];
  // (A hot spot with no street or area to name it is left to the map rather than listed as "an unnamed place".)
  // Nor is a hot spot of a handful of incidents a headline (with a few incidents over a whole
  // district, Gi* calls any cell near one "hot"): the summary names those of SUMMARY_MIN_DENSEST or more.
  const hotPlaces = named.filter((c) => c.count >= SUMMARY_MIN_DENSEST).slice(0, 3).map((c) => c.place.phrase).filter((p) => p !== "an unnamed place");
  const list = (xs: string[]) => (xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join("; ")} and ${xs[xs.length - 1]}`);
  // A square with no street or area to name it is placed by the map, not by coordinates (a board
  // cannot read "around x 233912, y 3882762 (EPSG:32616)").
  const densestPart =
    window.count >= SUMMARY_MIN_DENSEST && !densestWithheld
      ? (window.place === null ? densest.sentence.replace(/ around .*\.$/, ", dashed on the density map.") : densest.sentence).replace(/\.$/, "")
      : "";
  if (densestPart || hotPlaces.length) {
    // The largest hot spot is usually around the densest square's street: named once.
    const again = densestPart !== "" && hotPlaces[0] === window.place;
    const others = again ? hotPlaces.slice(1) : hotPlaces;
    const hotPart = others.length ? `the ${again ? "next " : ""}largest hot spot${others.length === 1 ? " is" : "s are"} around ${list(others)}` : "";
    const text = densestPart && hotPart ? `${densestPart}, and ${hotPart}.` : densestPart ? `${densestPart}.` : `${label}: ${hotPart}.`;
    findings.push({ section: "hotspots", text, order: 40, weight: 2 });
  }
  if (emerging.places.length) findings.push({ section: "hotspots", text: `Anti-social behaviour and criminal damage are forming new or growing hot spots around ${list(emerging.places.slice(0, 3))}.`, order: 40, weight: 1 });
  return { section: { id: "hotspots", title: "Where: streets, places and hot spots", html }, files, findings };
}

/**
 * Emerging Hot Spot Analysis of anti-social behaviour and criminal damage: Gi* per quarter on
 * 400 m cells (queen band, 600 m), Mann–Kendall per cell, ESRI's categories; the cells that are
 * new, consecutive or intensifying hot spots, named by their commonest street (in their
 * commonest ward or beat, with its town, when areas are given), and mapped.
 */
async function emergingPart(table: IncidentTable, dc: DisclosureContext, ctx: MapContext): Promise<{ html: string; geojson: string | null; places: string[] }> {
  const none = { html: "", geojson: null, places: [] };
  const keys = ["anti-social-behaviour", "criminal-damage-arson"].filter((c) => table.category.values.includes(c));
  if (!keys.length) return none;
  const codes = new Set(keys.map((c) => table.category.values.indexOf(c)));
  const rows = selectRows(table, (i) => codes.has(table.category.codes[i]) && Number.isFinite(table.x[i]));
  if (rows.length < 100) return none;
  const pi = periodIndex(rows, "quarter", { coarse: "exclude" });
  // Wholly covered quarters only, in the latest unbroken run of them, at most three years: a
  // quarter the data cover in part (or not at all, in a gap between downloads) is not a step.
  const spans = coveredSpans(rows);
  const full = pi.periods.map((p) => spansContain(spans, p.start, p.end));
  const last = full.lastIndexOf(true);
  let first = last;
  while (first > 0 && full[first - 1] && last - first + 1 < 12) first -= 1;
  const steps = last < 0 ? 0 : last - first + 1;
  if (steps < 6) return none;
  const cell = 400;
  const g = makeGrid({ x: rows.x, y: rows.y, crs: rows.crs }, { cellSize: cell });
  const where = gridCounts(g, { x: rows.x, y: rows.y, crs: rows.crs }).cell;
  const values = quarterCellCounts(pi.ordinal, pi.offset + first, steps, where, g.length);
  const res = emergingHotspots(values, { x: g.x, y: g.y, distance: cell * 1.5 });
  const emerging = ["new-hot-spot", "consecutive-hot-spot", "intensifying-hot-spot"] as const;
  const found: { k: number; category: (typeof emerging)[number]; recent: number }[] = [];
  const findEmerging = () => {
    for (let k = 0; k < g.length; ++k) {
      const c = res.category[k] as (typeof emerging)[number];
      if (emerging.includes(c)) found.push({ k, category: c, recent: values[steps - 1][k] + (steps > 1 ? values[steps - 2][k] : 0) });
    }
  };
  findEmerging();
  const span = `${pi.periods[first].key} to ${pi.periods[last].key}`;
  const head = `<h3>Emerging hot spots</h3>`;
  const method = `<p class="note">Emerging Hot Spot Analysis (as ESRI defines it) of anti-social behaviour and criminal damage: Getis–Ord Gi* on ${cell} m cells for each of ${steps} quarters (${escapeHtml(span)}), then the Mann–Kendall trend of each cell's Gi* z. New: hot only in the last quarter; consecutive: an unbroken run of hot quarters at the end; intensifying: hot in at least 90% of quarters and getting hotter.</p>`;
  // Every cell with a pattern, as GeoJSON with ESRI's category names.
  const fc = gridGeoJSON(g, { values: { hotQuarters: res.hotSteps, coldQuarters: res.coldSteps, trendZ: res.trendZ }, digits: 6 });
  const geojson = JSON.stringify({
    type: "FeatureCollection",
    features: fc.features.filter((f) => res.category[f.id] !== "no-pattern").map((f) => ({ ...f, properties: { ...f.properties, category: EMERGING_HOTSPOT_LABELS[res.category[f.id]] } })),
  });
  if (!found.length) return { html: `${head}<p>${escapeHtml(`No new, consecutive or intensifying hot spot of anti-social behaviour and criminal damage (${span}).`)}</p>${method}`, geojson, places: [] };
  found.sort((a, b) => b.recent - a.recent);
  // Name each cell by its commonest street (in its commonest area, with the town, when areas are given).
  const rowsArea = ctx.namer.assign(rows);
  const inCell = new Map<number, number[]>(found.map((f) => [f.k, []]));
  const gatherCellRows = () => {
    for (let i = 0; i < rows.length; ++i) inCell.get(where[i])?.push(i);
  };
  gatherCellRows();
  const places = new Map(found.slice(0, 6).map((f) => [f.k, ctx.areas ? ctx.namer.describe(rows, rowsArea, inCell.get(f.k)!, { fallbackArea: ctx.namer.areaAt(g.x[f.k], g.y[f.k]) }) : null]));
  const nameOf = (k: number) => {
    const place = places.get(k);
    if (place && (place.street || place.area >= 0)) return inCell.get(k)!.length ? place.phrase : `a cell in ${ctx.namer.areaPhrase(place.area)} with no incidents of its own (its neighbours are hot)`;
    const tally = new Map<string, number>();
    for (const i of inCell.get(k) ?? []) {
      const loc = rows.location.values[rows.location.codes[i]];
      const lsoa = rows.lsoa.values[rows.lsoa.codes[i]];
      const label = [loc?.replace(/^On or near /, ""), lsoa ? (rows.areaNames.get(lsoa) ?? lsoa) : null].filter(Boolean).join(", ");
      if (label) tally.set(label, (tally.get(label) ?? 0) + 1);
    }
    return [...tally.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? `the ${cell} m cell centred at ${Math.round(g.x[k])}, ${Math.round(g.y[k])} (no incidents of its own; its neighbours are hot)`;
  };
  const recent = (n: number) => {
    const c = dc.count(n);
    return c === null ? `fewer than ${dc.threshold} incidents` : `${c} incident${c === 1 ? "" : "s"}`;
  };
  const items = found.slice(0, 6).map((f) => `${EMERGING_HOTSPOT_LABELS[f.category]} around ${nameOf(f.k)} (${recent(f.recent)} in the last two quarters)`);
  // The map: every cell with a hot-spot pattern, the emerging ones in strong colours, the listed ones named.
  const group = (c: string) => (c === "new-hot-spot" || c === "consecutive-hot-spot" || c === "intensifying-hot-spot" || c === "persistent-hot-spot" ? EMERGING_HOTSPOT_LABELS[c as "new-hot-spot"] : c.endsWith("hot-spot") ? "Other hot spot pattern" : "Cold spot pattern");
  const patterned: { x: number; x2: number; y: number; y2: number; pattern: string }[] = [];
  const collectPatterned = () => {
    for (let k = 0; k < g.length; ++k) {
      if (res.category[k] === "no-pattern") continue;
      patterned.push({ x: g.x[k] - cell / 2, x2: g.x[k] + cell / 2, y: g.y[k] - cell / 2, y2: g.y[k] + cell / 2, pattern: group(res.category[k]) });
    }
  };
  collectPatterned();
  const { frame } = ctx;
  const svg = await renderSvg(
    emergingHotspotsMapFigure(ctx, patterned, {
      title: `Anti-social behaviour and criminal damage: emerging hot spots, ${span}`,
      cellSize: cell,
      listed: found.slice(0, 6).map((f, j) => ({ x: g.x[f.k], y: g.y[f.k], label: places.get(f.k)?.street ?? String(j + 1) })),
    }),
  );
  const figure = `<figure${dc.figure([])}${frame.figureAttributes(ctx.drawn)}>${svg}<figcaption>${escapeHtml(`Each ${cell} m cell with a pattern over the ${steps} quarters; the emerging hot spots listed above are outlined in black and named by their commonest street (a number where no street is named). ${mapCaption(ctx)} Also written as hotspots-emerging.geojson.`)}</figcaption></figure>`;
  return {
    html: `${head}<p>${escapeHtml(`${found.length} cell${found.length === 1 ? "" : "s"} of ${cell} m ${found.length === 1 ? "is" : "are"} emerging hot spots of anti-social behaviour and criminal damage (${span}):`)}</p><ul>${items.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ul>${figure}${method}`,
    geojson,
    // Distinct places, busiest first, for the summary.
    places: [...new Set(found.slice(0, 6).filter((f) => inCell.get(f.k)!.length).map((f) => nameOf(f.k)))],
  };
}

/**
 * Groups of touching hot cells (queen contiguity: the 8 around a cell) of a square grid, with
 * their incidents (`counts`) and busiest cell, most incidents first (then most cells, then the
 * lowest cell index, so the order is stable).
 */
export function hotClusters(g: { columns: number; rows: number; length: number }, hot: (k: number) => boolean, counts: ArrayLike<number>): { cells: number[]; count: number; peak: number }[] {
  const seen = new Uint8Array(g.length);
  const out: { cells: number[]; count: number; peak: number }[] = [];
  for (let k0 = 0; k0 < g.length; ++k0) {
    if (seen[k0] || !hot(k0)) continue;
    const cells: number[] = [];
    const stack = [k0];
    seen[k0] = 1;
    while (stack.length) {
      const k = stack.pop()!;
      cells.push(k);
      const col = k % g.columns;
      const row = (k - col) / g.columns;
      for (let dr = -1; dr <= 1; ++dr) {
        for (let dc = -1; dc <= 1; ++dc) {
          const r = row + dr;
          const c = col + dc;
          if (r < 0 || r >= g.rows || c < 0 || c >= g.columns) continue;
          const n = r * g.columns + c;
          if (!seen[n] && hot(n)) {
            seen[n] = 1;
            stack.push(n);
          }
        }
      }
    }
    cells.sort((a, b) => a - b);
    let count = 0;
    let peak = cells[0];
    for (const k of cells) {
      count += counts[k];
      if (counts[k] > counts[peak]) peak = k;
    }
    out.push({ cells, count, peak });
  }
  return out.sort((a, b) => b.count - a.count || b.cells.length - a.cells.length || a.cells[0] - b.cells[0]);
}

/** What a hot-spot map draws for context, in a sentence for its caption. */
function mapCaption(ctx: MapContext): string {
  const parts: string[] = [];
  if (ctx.edge) parts.push(ctx.edge.source === "boundary" ? "Black line: the area's boundary (--boundary)." : `Black line: the outline of the ${ctx.areas!.label}s shown (no --boundary was given).`);
  if (ctx.areas) parts.push(`Grey lines: ${ctx.areas.label}s (${ctx.areas.rule}); towns are named where the ${ctx.areas.label} names give them. Labels that would overlap are left out.`);
  return parts.join(" ");
}

/** The bounds in metres of a table's located rows; null when none is located. */
function locatedBounds(t: IncidentTable): [number, number, number, number] | null {
  let b: [number, number, number, number] | null = null;
  for (let i = 0; i < t.length; ++i) {
    const x = t.x[i];
    const y = t.y[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (!b) b = [x, y, x, y];
    else b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
  }
  return b;
}

/** A category's label for a table name. */
function label0(key: string): string {
  return categoryLabel(key);
}

function nullIfNaN(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

function fmt2(v: number): string {
  return Number(v.toPrecision(2)).toLocaleString("en-GB");
}

/** The peak of the quartic kernel normalised to integrate to 1 (3 / πh²), per km², for a bandwidth in metres. */
function quarticPeakPerKm2(bandwidth: number): number {
  const h = bandwidth / 1000;
  return 3 / (Math.PI * h * h);
}

/**
 * Kernel density for publication: `NaN` (withheld) below what `threshold` incidents at one point
 * would give at its centre (`threshold` × the kernel's peak), else to 2 significant figures. A
 * lone incident's kernel has a known shape and peak, so its densities would give its point back;
 * a density above the threshold's peak needs at least `threshold` incidents within the bandwidth.
 */
function publicDensity(density: Float64Array, bandwidth: number, threshold: number): Float64Array {
  const floor = threshold * quarticPeakPerKm2(bandwidth);
  return Float64Array.from(density, (v) => (v > 0 && v < floor ? NaN : v === 0 ? 0 : Number(v.toPrecision(2))));
}

/** The Gi* GeoJSON under --public: `gistar` and `q` withheld (null), each cell's class (`cls`) instead. */
function gistarPublic<F extends { id: number; properties: Record<string, unknown> }>(fc: { type: "FeatureCollection"; features: F[] }, classOf: (k: number) => string) {
  return { ...fc, features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, gistar: null, q: null, cls: classOf(f.id) } })) };
}

/** Street rows under --public: withheld rows after the published ones of their type (so no published neighbour bounds one), and cumulative shares withheld from the first withheld row on. */
function publicStreetRows<T extends { category: string | null; x: number; y: number; position?: string; suppressed?: string | null }>(rows: T[], dc: DisclosureContext): T[] {
  if (!dc.active) return rows;
  const out: T[] = [];
  const groups = new Map<string | null, T[]>();
  for (const r of rows) {
    let g = groups.get(r.category);
    if (!g) groups.set(r.category, (g = []));
    g.push(r);
  }
  for (const g of groups.values()) {
    let seen = false;
    const shown: T[] = [];
    const held: T[] = [];
    for (const r of g) {
      const w = dc.withheld(r);
      seen ||= w;
      const row = seen && !w ? ({ ...r, cumulativeShare: null } as unknown as T) : r;
      (w ? held : shown).push(row);
    }
    held.sort((a, b) => String(a.position).localeCompare(String(b.position)) || a.x - b.x || a.y - b.y);
    out.push(...shown, ...held);
  }
  return out;
}

/** Street rows as GeoJSON points at their (possibly generalised) lon/lat, the row as properties. */
function streetsGeoJson(rows: readonly object[]) {
  return { type: "FeatureCollection", features: (rows as readonly Record<string, unknown>[]).map((r) => ({ type: "Feature", geometry: { type: "Point", coordinates: [r.lon, r.lat] }, properties: { ...r } })) };
}

/**
 * The densest window named by its street (the commonest location in it), town and area when
 * areas are given — "… around Swan Street, Loughborough (Lemyngton ward)." — and as the hot spots
 * are named (police.uk's "Nightclub" as "the nightclub") without them (the sentence, `place` and
 * the GeoJSON's properties); as it is when it has neither street nor areas.
 */
function namedWindow(window: ReturnType<typeof densestWindow>, t: IncidentTable, area: Int32Array, ctx: MapContext): ReturnType<typeof densestWindow> {
  // (With no street and no areas there is nothing to name it by: its coordinates stay.)
  if (window.x === null || window.y === null || window.count === 0 || (!ctx.areas && window.place === null)) return window;
  const place = ctx.namer.describe(t, area, window.indices, { fallbackArea: ctx.namer.areaAt(window.x, window.y), street: streetName(window.place) ?? undefined });
  const sentence = window.sentence.replace(/ around .*\.$/, ` around ${place.phrase}.`);
  const geojson = window.geojson && { ...window.geojson, features: window.geojson.features.map((f) => ({ ...f, properties: { ...f.properties, place: place.phrase, sentence } })) };
  return { ...window, place: place.phrase, sentence, geojson } as ReturnType<typeof densestWindow>;
}

/**
 * The densest square's sentence and GeoJSON: as they are, or under --public with its counts
 * protected (a small window count withholds the count, share, place and sentence, and puts the
 * square and its centre on the centre of the 500 m cell holding it: a square around one
 * incident is centred on it).
 */
function densestOutputs(window: ReturnType<typeof densestWindow>, crs: string, dc: DisclosureContext): { sentence: string; geojson: string | null } {
  if (!dc.active) return { sentence: window.sentence, geojson: window.geojson ? JSON.stringify(window.geojson) : null };
  const fc = window.geojson;
  const small = dc.small(window.count) || dc.small(window.total);
  const sentence = small ? dc.withheldSentence("The densest square kilometre", "in it") : window.sentence.replace(/\(([\d,]+) of ([\d,]+) located incidents\)/, () => `(${fmtInt(dc.count(window.count))} of ${fmtInt(dc.count(window.total))} located incidents)`);
  if (!fc) return { sentence, geojson: null };
  const rows = dc.protect("hotspots-densest-1km.geojson", fc.features.map((f) => ({ ...f.properties, sentence })), DENSEST_SPEC);
  let features = fc.features.map((f, i) => ({ ...f, properties: rows[i] }));
  if (small && window.x !== null && window.y !== null) {
    const [cx, cy] = cellCentre(window.x, window.y, 500);
    const inv = projector(crs).inverse;
    const h = (window.side ?? 1000) / 2;
    const ring = [[cx - h, cy - h], [cx + h, cy - h], [cx + h, cy + h], [cx - h, cy + h], [cx - h, cy - h]].map(([x, y]) => inv(x, y));
    features = features.map((f) => ({
      ...f,
      properties: { ...f.properties, position: "500 m cell centre" },
      geometry: ((f.properties as Record<string, unknown>).role === "window" ? { type: "Polygon", coordinates: [ring] } : { type: "Point", coordinates: inv(cx, cy) }) as (typeof f)["geometry"],
    }));
  }
  return { sentence, geojson: JSON.stringify({ type: "FeatureCollection", features }) };
}

/**
 * The projected grid a map's cells line up with, in words: "the British National Grid"
 * (EPSG:27700), "the UTM zone 16N grid (EPSG:32616)" for a city's data, else the CRS's code.
 */
export function gridWords(crs: string): string {
  if (crs === "EPSG:27700") return "the British National Grid";
  const utm = /^EPSG:32([67])(\d\d)$/.exec(crs);
  if (utm) return `the UTM zone ${Number(utm[2])}${utm[1] === "6" ? "N" : "S"} grid (${crs})`;
  return `the ${crs} grid`;
}
