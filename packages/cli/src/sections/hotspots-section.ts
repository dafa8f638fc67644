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
import { htmlTable, fmtInt, fmtPct, escapeHtml, type Section } from "../report/html.js";
import { renderSvg } from "../report/figures.js";
import { fileNameWord, type OutputFile } from "./output.js";
import { crimeCategories } from "./levels-section.js";
import { DisclosureContext } from "../report/public-outputs.js";
import type { CountsDisclosure } from "../report/public-rows.js";
import { cellCentre } from "../report/generalise-points.js";

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

/** The 250 m grid of the main crime type, every cell (hotspots-gistar.geojson; its non-empty cells in hotspots-grid.csv). */
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

/** hotspots-gistar.geojson: every cell of the grid as a polygon. */
export const GISTAR_GEOJSON_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count"],
  dimensions: ["cell"],
  withheld: ["gistar", "q"],
  other: { col: "the cell's column", row: "the cell's row", cls: GRID_OTHER.cls, kdePerKm2: GRID_OTHER.kde },
};

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
  return { kind: "counts", counts: ["count"], dimensions: ["area"], other: Object.fromEntries(layerProperties.map((p) => [p, "a property of the areas layer (boundaries, published)"])) };
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
}

export async function hotspotsSection(table: IncidentTable, areaName: string, period: Period | null, areas?: AreasLayer, dc: DisclosureContext = new DisclosureContext(null)): Promise<{ section: Section; files: OutputFile[] } | null> {
  let located = 0;
  for (let i = 0; i < table.length; ++i) if (Number.isFinite(table.x[i])) located += 1;
  if (located < 50) return null;
  const files: OutputFile[] = [];
  // The period mapped: the report's headline period (the latest whole year, else the latest 12 covered months).
  const inPeriod = period ? selectRows(table, (i) => table.start[i] >= period.start && table.start[i] < period.end) : table;
  const when = period ? (period.unit === "range" ? period.label : period.key) : "all the data";
  const crimes = crimeCategories(inPeriod);
  const sizes = new Map<string, number>();
  for (let i = 0; i < inPeriod.length; ++i) {
    const c = inPeriod.category.values[inPeriod.category.codes[i]];
    if (c !== null && Number.isFinite(inPeriod.x[i])) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  }
  const ranked = [...sizes.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  const focus = ["burglary", "violent-crime", "anti-social-behaviour", "criminal-damage-arson", "vehicle-crime", "shoplifting", "robbery"].filter((c) => sizes.has(c));
  const types = (focus.length ? focus : ranked).slice(0, 6);
  const main = sizes.has("violent-crime") ? "violent-crime" : (crimes[0] ?? ranked[0]);
  let html = `<p class="note">${escapeHtml(`Maps and tables cover ${when}. Police.uk locations are anonymised snap points (the centre of a street or a public place), so a "street" count is the count at its snap points.`)}</p>`;

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
      sentences.push(sentence.charAt(0).toUpperCase() + sentence.slice(1) + rest);
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
  html += dc.table(streetsName, top, [
    { header: "Crime type", value: (r) => categoryLabel(String(r.category)) },
    { header: "Rank", value: (r) => r.rank, numeric: true, kind: "derived" },
    { header: "Street or place", value: (r) => (dc.active && r.position !== "exact" ? "(withheld: fewer than " + dc.threshold + " incidents)" : `${r.name ?? "(unnamed)"}${r.kind === "place" ? " (place)" : ""}`) },
    { header: "Where", value: (r) => r.locality ?? "–" },
    { header: "Incidents", value: (r) => r.count, format: fmtInt, numeric: true, kind: "count" },
    { header: "Share", value: (r) => r.share, format: (v) => fmtPct(v), numeric: true, kind: "derived" },
    { header: "Cumulative", value: (r) => r.cumulativeShare, format: (v) => fmtPct(v), numeric: true, kind: "derived" },
  ], `Top five streets and places per crime type, ${areaName}, ${when}`);
  html += `<p class="note">${escapeHtml(`A street is a name within a locality (${locality}): the same name in two towns is two streets. Police.uk place categories ("Parking Area", "Supermarket", …) are places, one per snap point.`)}</p>`;
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
  const window = densestWindow(inPeriod, { shape: "square", side: 1000, categories: [main] });
  const densest = densestOutputs(window, inPeriod.crs, dc);
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
  const extent = { x: [g.originX, g.originX + g.columns * cellSize], y: [g.originY, g.originY + g.rows * cellSize] };
  const aspect = (extent.y[1] - extent.y[0]) / (extent.x[1] - extent.x[0]);
  const width = 520;
  const height = Math.max(200, Math.min(640, Math.round(width * aspect)));
  const axes = (title: string) => ({
    x: { field: "x", type: "quantitative", scale: { domain: extent.x, nice: false }, title: `${title} easting (m)`, axis: { format: "d", tickCount: 5 } },
    y: { field: "y", type: "quantitative", scale: { domain: extent.y, nice: false }, title: "northing (m)", axis: { format: "d", tickCount: 5 } },
    x2: { field: "x2" },
    y2: { field: "y2" },
  });
  const giSvg = await renderSvg({
    title: `${label}, ${when}: Getis–Ord Gi* hot spots`,
    width,
    height,
    data: { values: cells.filter((c, i) => c.cls !== "not significant" || counts[cellIndex[i]] > 0) },
    mark: { type: "rect" },
    encoding: {
      ...axes(""),
      color: {
        field: "cls",
        type: "nominal",
        title: "Gi* (BH-adjusted)",
        scale: { domain: ["hot (q < 0.001)", "hot (q < 0.01)", "hot (q < 0.05)", "not significant", "cold (q < 0.05)"], range: ["#a50f15", "#de2d26", "#fc9272", "#e8e8e8", "#3182bd"] },
      },
    },
  });
  html += `<figure${dc.figure([])}>${giSvg}<figcaption>Getis–Ord Gi* on ${cellSize} m cells aligned to the British National Grid: each cell with its 8 neighbours and itself (binary weights, as spdep's localG with include.self); p-values adjusted by Benjamini–Hochberg. Grey: cells with incidents but no significant cluster. Also written as hotspots-gistar.geojson for QGIS or Leaflet.</figcaption></figure>`;
  const kdeSvg = await renderSvg({
    title: `${label}, ${when}: kernel density`,
    width,
    height,
    data: { values: cells.filter((c) => (c.kde as number) > 0) },
    mark: { type: "rect" },
    encoding: { ...axes(""), color: { field: "kde", type: "quantitative", title: "per km²", scale: { scheme: "inferno", reverse: true } } },
  });
  html += `<figure${dc.figure([])}>${kdeSvg}<figcaption>Quartic kernel density (incidents per km², integrating to the count), fixed bandwidth ${Math.round(kde.bandwidth)} m (two cells; the automatic rule, bandwidth.nrd on both axes, gives kilometres over a whole borough), evaluated at the centres of the same cells.${dc.active ? ` Under disclosure control the density is drawn only where it could hold ${dc.threshold} or more incidents (above ${fmt2(dc.threshold * quarticPeakPerKm2(kde.bandwidth))} per km²), to 2 significant figures: the peak of a lone incident's kernel is known, so a lower density would place it.` : ""}</figcaption></figure>`;
  if (dc.active) html += dc.note(gridName);
  const gistar = dc.active
    ? gistarPublic(gridGeoJSON(g, { values: { count: gridCounts_, gistar: gi.z, q, kdePerKm2: kdeShown }, digits: 6 }), classOf)
    : gridGeoJSON(g, { values: { count: counts, gistar: gi.z, q, kdePerKm2: kde.densityPerKm2 }, digits: 6 });
  files.push({ name: "hotspots-gistar.geojson", rows: [], text: JSON.stringify(gistar), disclosure: GISTAR_GEOJSON_SPEC });
  files.push({ name: "hotspots-grid.csv", rows: cells, disclosure: GRID_CSV_SPEC });

  // ---- Emerging hot spots (ASB and criminal damage, quarterly) -------------------------------
  const emerging = emergingPart(table, dc);
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
    const streetSvg = await renderSvg({
      title: `${label}, ${when}: the top ${mainStreets.length} streets and places`,
      width,
      height,
      layer: [
        { data: { values: cells.filter((c) => (c.count as number) > 0) }, mark: { type: "rect", color: "#e4e4e4" }, encoding: axes("") },
        {
          data: { values: mainStreets.map((r) => ({ x: r.x, y: r.y, count: r.count, name: `${r.rank}. ${r.name ?? "(unnamed)"}` })) },
          mark: { type: "circle", color: "#b3261e", opacity: 0.75 },
          encoding: {
            x: { field: "x", type: "quantitative", scale: { domain: extent.x, nice: false } },
            y: { field: "y", type: "quantitative", scale: { domain: extent.y, nice: false } },
            size: { field: "count", type: "quantitative", title: "incidents", scale: { range: [30, 600] } },
          },
        },
        {
          data: { values: mainStreets.slice(0, 5).map((r) => ({ x: r.x, y: r.y, name: String(r.rank) })) },
          mark: { type: "text", align: "center", dy: -12, fontSize: 10, fontWeight: "bold" },
          encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, text: { field: "name" } },
        },
      ],
    });
    html += `<figure${dc.figure(["incidents"])}>${streetSvg}<figcaption>Circles: the top streets and places (size = incidents) at their snap points' centre, numbered by rank as in the table above, over the grid cells with any incident (grey).</figcaption></figure>`;
  }

  // ---- Areas (beats, wards) -----------------------------------------------------------------
  if (areas) {
    // One point-in-polygon pass over the period: every type marks the areas in the picture, the main type is counted.
    const all = assignAreas(inPeriod, areas.featureCollection, { key: areas.key });
    const isMain = valueMask(inPeriod.category, [main]);
    const perArea = new Float64Array(all.keys.length);
    const any = new Uint8Array(all.keys.length);
    let mainUnassigned = 0;
    for (let i = 0; i < all.area.length; ++i) {
      const k = all.area[i];
      const counted = isMain[inPeriod.category.codes[i]] === 1;
      if (k >= 0) {
        any[k] = 1;
        if (counted) perArea[k] += 1;
      } else if (counted && Number.isFinite(inPeriod.x[i])) mainUnassigned += 1;
    }
    let features = areas.featureCollection.features
      .map((f, k) => ({ ...f, properties: { ...(f.properties ?? {}), area: all.keys[k], count: perArea[k] } }))
      .filter((_, k) => any[k] === 1);
    // The label is user input (--areas-label): the file names take a safe word of it.
    const fileWord = fileNameWord(areas.label);
    const areasName = `hotspots-${fileWord}s.csv`;
    const layerProps = [...new Set(areas.featureCollection.features.flatMap((f) => Object.keys(f.properties ?? {})))].filter((p) => p !== "area" && p !== "count");
    const spec = areasSpec(layerProps);
    const rawOut = features.map((f) => ({ area: f.properties.area, count: f.properties.count }));
    const protectedOut = dc.protect(areasName, rawOut, spec);
    const countOf = new Map(protectedOut.map((r) => [r.area, r]));
    const rowsOut = dc.active
      ? [...protectedOut].sort((a, b) => (b.count ?? -1) - (a.count ?? -1))
      : protectedOut.sort((a, b) => b.count - a.count);
    if (dc.active) features = features.map((f) => ({ ...f, properties: { ...f.properties, count: countOf.get(f.properties.area)!.count as number } }));
    const totalIn = rawOut.reduce((a, r) => a + r.count, 0);
    const topTwo = rowsOut.slice(0, 2);
    html += `<h3>${escapeHtml(`${label} by ${areas.label}`)}</h3>`;
    if (topTwo.length === 2 && totalIn > 0) {
      if (topTwo.some((r) => r.count === null || dc.small(r.count)) || dc.small(totalIn)) {
        html += `<p>${escapeHtml(dc.withheldSentence(`The ${areas.label}s holding most ${label.toLowerCase()}`, `in a ${areas.label}`))}</p>`;
      } else {
        const unassigned = dc.count(mainUnassigned);
        html += `<p>${escapeHtml(`${topTwo[0].area} and ${topTwo[1].area} hold ${fmtPct((topTwo[0].count + topTwo[1].count) / totalIn)} of ${label.toLowerCase()} (${fmtInt(topTwo[0].count)} and ${fmtInt(topTwo[1].count)} of ${fmtInt(dc.count(totalIn))}) among ${rowsOut.length} ${areas.label}s.${mainUnassigned ? ` ${unassigned === null ? `Fewer than ${dc.threshold}` : fmtInt(unassigned)} located incidents lie in no ${areas.label}.` : ""}`)}</p>`;
      }
    }
    const areaSvg = await renderSvg({
      title: `${label}, ${when}: incidents by ${areas.label}`,
      width,
      height,
      data: { values: features },
      mark: { type: "geoshape", stroke: "#fff", strokeWidth: 0.5 },
      projection: { type: "mercator" },
      encoding: {
        color: { field: "properties.count", type: "quantitative", title: "incidents", scale: { scheme: "reds" } },
        tooltip: [{ field: "properties.area", title: areas.label }, { field: "properties.count", title: "incidents" }],
      },
    });
    html += `<figure${dc.figure(["incidents"])}>${areaSvg}<figcaption>${escapeHtml(`Incidents per ${areas.label} (point in polygon; a point on a shared edge is counted once, by the rule in packages/geo/README.md).`)}</figcaption></figure>`;
    if (dc.active) html += dc.note(areasName);
    files.push({ name: areasName, rows: rowsOut, disclosure: spec });
    files.push({ name: `hotspots-${fileWord}s.geojson`, rows: [], text: JSON.stringify({ type: "FeatureCollection", features }), disclosure: spec });
  }
  return { section: { id: "hotspots", title: "Where: streets, places and hot spots", html }, files };
}

/**
 * Emerging Hot Spot Analysis of anti-social behaviour and criminal damage: Gi* per quarter on
 * 400 m cells (queen band, 600 m), Mann–Kendall per cell, ESRI's categories; the cells that are
 * new, consecutive or intensifying hot spots, named by their commonest location.
 */
function emergingPart(table: IncidentTable, dc: DisclosureContext): { html: string; geojson: string | null } {
  const none = { html: "", geojson: null };
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
  const values = Array.from({ length: steps }, () => new Float64Array(g.length));
  for (let i = 0; i < rows.length; ++i) {
    const k = pi.ordinal[i] - pi.offset - first;
    if (k < 0 || k >= steps || where[i] < 0) continue;
    values[k][where[i]] += 1;
  }
  const res = emergingHotspots(values, { x: g.x, y: g.y, distance: cell * 1.5 });
  const emerging = ["new-hot-spot", "consecutive-hot-spot", "intensifying-hot-spot"] as const;
  const found: { k: number; category: (typeof emerging)[number]; recent: number }[] = [];
  for (let k = 0; k < g.length; ++k) {
    const c = res.category[k] as (typeof emerging)[number];
    if (emerging.includes(c)) found.push({ k, category: c, recent: values[steps - 1][k] + (steps > 1 ? values[steps - 2][k] : 0) });
  }
  const span = `${pi.periods[first].key} to ${pi.periods[last].key}`;
  const head = `<h3>Emerging hot spots</h3>`;
  const method = `<p class="note">Emerging Hot Spot Analysis (as ESRI defines it) of anti-social behaviour and criminal damage: Getis–Ord Gi* on ${cell} m cells for each of ${steps} quarters (${escapeHtml(span)}), then the Mann–Kendall trend of each cell's Gi* z. New: hot only in the last quarter; consecutive: an unbroken run of hot quarters at the end; intensifying: hot in at least 90% of quarters and getting hotter.</p>`;
  // Every cell with a pattern, as GeoJSON with ESRI's category names.
  const fc = gridGeoJSON(g, { values: { hotQuarters: res.hotSteps, coldQuarters: res.coldSteps, trendZ: res.trendZ }, digits: 6 });
  const geojson = JSON.stringify({
    type: "FeatureCollection",
    features: fc.features.filter((f) => res.category[f.id] !== "no-pattern").map((f) => ({ ...f, properties: { ...f.properties, category: EMERGING_HOTSPOT_LABELS[res.category[f.id]] } })),
  });
  if (!found.length) return { html: `${head}<p>${escapeHtml(`No new, consecutive or intensifying hot spot of anti-social behaviour and criminal damage (${span}).`)}</p>${method}`, geojson };
  found.sort((a, b) => b.recent - a.recent);
  // Name each cell by the commonest location among its incidents.
  const nameOf = (k: number) => {
    const tally = new Map<string, number>();
    for (let i = 0; i < rows.length; ++i) {
      if (where[i] !== k) continue;
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
  return {
    html: `${head}<p>${escapeHtml(`${found.length} cell${found.length === 1 ? "" : "s"} of ${cell} m ${found.length === 1 ? "is" : "are"} emerging hot spots of anti-social behaviour and criminal damage (${span}):`)}</p><ul>${items.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ul>${method}`,
    geojson,
  };
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
