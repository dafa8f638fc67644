import { categoryLabel, coveredSpans, periodIndex, selectRows, spansContain, valueMask, type IncidentTable, type Period } from "@community-safety/core";
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
} from "@community-safety/geo";
import { htmlTable, fmtInt, fmtPct, escapeHtml, type Section } from "../report/html.js";
import { renderSvg } from "../report/figures.js";
import { fileNameWord, type OutputFile } from "./output.js";
import { crimeCategories } from "./levels-section.js";

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

export async function hotspotsSection(table: IncidentTable, areaName: string, period: Period | null, areas?: AreasLayer): Promise<{ section: Section; files: OutputFile[] } | null> {
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
  const sentences: string[] = [];
  const concRows: Record<string, unknown>[] = [];
  for (const c of types) {
    const rows = streets.rows.filter((r) => r.category === c);
    if (!rows.length) continue;
    const sentence = topShareSentence(streets, 5, { category: c });
    sentences.push(sentence.charAt(0).toUpperCase() + sentence.slice(1));
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
  const top = types.flatMap((c) => streets.rows.filter((r) => r.category === c).slice(0, 5));
  html += htmlTable(top, [
    { header: "Crime type", value: (r) => categoryLabel(String(r.category)) },
    { header: "Rank", value: (r) => r.rank, numeric: true },
    { header: "Street or place", value: (r) => `${r.name ?? "(unnamed)"}${r.kind === "place" ? " (place)" : ""}` },
    { header: "Where", value: (r) => r.locality ?? "–" },
    { header: "Incidents", value: (r) => r.count, format: fmtInt, numeric: true },
    { header: "Share", value: (r) => r.share, format: (v) => fmtPct(v), numeric: true },
    { header: "Cumulative", value: (r) => r.cumulativeShare, format: (v) => fmtPct(v), numeric: true },
  ], `Top five streets and places per crime type, ${areaName}, ${when}`);
  html += `<p class="note">${escapeHtml(`A street is a name within a locality (${locality}): the same name in two towns is two streets. Police.uk place categories ("Parking Area", "Supermarket", …) are places, one per snap point.`)}</p>`;
  html += htmlTable(concRows, [
    { header: "Crime type", value: (r) => r.category },
    { header: "Incidents", value: (r) => r.incidents, format: fmtInt, numeric: true },
    { header: "Streets and places", value: (r) => r.units, format: fmtInt, numeric: true },
    { header: "Holding 25%", value: (r) => r.for25, format: fmtInt, numeric: true },
    { header: "Holding 50%", value: (r) => r.for50, format: fmtInt, numeric: true },
    { header: "…as a share of those with any", value: (r) => r.share50, format: (v) => fmtPct(v), numeric: true },
    { header: "Generalised Gini", value: (r) => r.generalisedGini, format: (v) => (typeof v === "number" ? v.toFixed(2) : "–"), numeric: true },
  ], "Concentration at streets and places");
  html += `<p class="note">Generalised Gini: Bernasco &amp; Steenbeek (2017), which allows for there being more places than crimes (0 = spread evenly, 1 = all in as few places as the count allows).</p>`;
  files.push({ name: "hotspots-streets.csv", rows: streets.rows.map((r) => ({ ...r })) });
  files.push({ name: "hotspots-streets.geojson", rows: [], text: JSON.stringify(streetCountsGeoJson({ ...streets, rows: top })) });

  // ---- Densest 1 km square ------------------------------------------------------------------
  const window = densestWindow(inPeriod, { shape: "square", side: 1000, categories: [main] });
  html += `<h3>Densest square kilometre</h3><p>${escapeHtml(window.sentence)}</p>`;
  if (window.geojson) files.push({ name: "hotspots-densest-1km.geojson", rows: [], text: JSON.stringify(window.geojson) });

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
  const cells: Record<string, unknown>[] = [];
  let hot = 0;
  let hotCount = 0;
  let total = 0;
  for (let k = 0; k < g.length; ++k) {
    total += counts[k];
    const cls = classOf(k);
    if (cls.startsWith("hot")) {
      hot += 1;
      hotCount += counts[k];
    }
    if (counts[k] > 0 || cls !== "not significant" || kde.densityPerKm2[k] > 0) {
      cells.push({ x: g.x[k] - cellSize / 2, x2: g.x[k] + cellSize / 2, y: g.y[k] - cellSize / 2, y2: g.y[k] + cellSize / 2, count: counts[k], z: gi.z[k], q: q[k], cls, kde: kde.densityPerKm2[k] });
    }
  }
  const label = categoryLabel(main);
  html += `<h3>${escapeHtml(`${label}: hot spots on a ${cellSize} m grid`)}</h3>`;
  html += `<p>${escapeHtml(`${hot} of ${g.length.toLocaleString("en-GB")} cells are significant hot spots (Getis–Ord Gi*, false discovery rate 5%), holding ${fmtInt(hotCount)} of ${fmtInt(total)} incidents (${fmtPct(total ? hotCount / total : 0)}) in ${((hot * g.area) / 1e6).toFixed(2)} km².`)}</p>`;
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
    data: { values: cells.filter((c) => c.cls !== "not significant" || (c.count as number) > 0) },
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
  html += `<figure>${giSvg}<figcaption>Getis–Ord Gi* on ${cellSize} m cells aligned to the British National Grid: each cell with its 8 neighbours and itself (binary weights, as spdep's localG with include.self); p-values adjusted by Benjamini–Hochberg. Grey: cells with incidents but no significant cluster. Also written as hotspots-gistar.geojson for QGIS or Leaflet.</figcaption></figure>`;
  const kdeSvg = await renderSvg({
    title: `${label}, ${when}: kernel density`,
    width,
    height,
    data: { values: cells.filter((c) => (c.kde as number) > 0) },
    mark: { type: "rect" },
    encoding: { ...axes(""), color: { field: "kde", type: "quantitative", title: "per km²", scale: { scheme: "inferno", reverse: true } } },
  });
  html += `<figure>${kdeSvg}<figcaption>Quartic kernel density (incidents per km², integrating to the count), fixed bandwidth ${Math.round(kde.bandwidth)} m (two cells; the automatic rule, bandwidth.nrd on both axes, gives kilometres over a whole borough), evaluated at the centres of the same cells.</figcaption></figure>`;
  files.push({
    name: "hotspots-gistar.geojson",
    rows: [],
    text: JSON.stringify(gridGeoJSON(g, { values: { count: counts, gistar: gi.z, q, kdePerKm2: kde.densityPerKm2 }, digits: 6 })),
  });
  files.push({ name: "hotspots-grid.csv", rows: cells });

  // ---- Emerging hot spots (ASB and criminal damage, quarterly) -------------------------------
  const emerging = emergingPart(table);
  html += emerging.html;
  if (emerging.geojson) files.push({ name: "hotspots-emerging.geojson", rows: [], text: emerging.geojson });

  // ---- Top streets on the map ---------------------------------------------------------------
  const mainStreets = streets.rows.filter((r) => r.category === main && Number.isFinite(r.x)).slice(0, 20);
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
    html += `<figure>${streetSvg}<figcaption>Circles: the top streets and places (size = incidents) at their snap points' centre, numbered by rank as in the table above, over the grid cells with any incident (grey).</figcaption></figure>`;
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
    const features = areas.featureCollection.features
      .map((f, k) => ({ ...f, properties: { ...(f.properties ?? {}), area: all.keys[k], count: perArea[k] } }))
      .filter((_, k) => any[k] === 1);
    const rowsOut = features.map((f) => ({ area: f.properties.area, count: f.properties.count })).sort((a, b) => b.count - a.count);
    const totalIn = rowsOut.reduce((a, r) => a + r.count, 0);
    const topTwo = rowsOut.slice(0, 2);
    html += `<h3>${escapeHtml(`${label} by ${areas.label}`)}</h3>`;
    if (topTwo.length === 2 && totalIn > 0) {
      html += `<p>${escapeHtml(`${topTwo[0].area} and ${topTwo[1].area} hold ${fmtPct((topTwo[0].count + topTwo[1].count) / totalIn)} of ${label.toLowerCase()} (${fmtInt(topTwo[0].count)} and ${fmtInt(topTwo[1].count)} of ${fmtInt(totalIn)}) among ${rowsOut.length} ${areas.label}s.${mainUnassigned ? ` ${fmtInt(mainUnassigned)} located incidents lie in no ${areas.label}.` : ""}`)}</p>`;
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
    html += `<figure>${areaSvg}<figcaption>${escapeHtml(`Incidents per ${areas.label} (point in polygon; a point on a shared edge is counted once, by the rule in packages/geo/README.md).`)}</figcaption></figure>`;
    // The label is user input (--areas-label): the file names take a safe word of it.
    const fileWord = fileNameWord(areas.label);
    files.push({ name: `hotspots-${fileWord}s.csv`, rows: rowsOut });
    files.push({ name: `hotspots-${fileWord}s.geojson`, rows: [], text: JSON.stringify({ type: "FeatureCollection", features }) });
  }
  return { section: { id: "hotspots", title: "Where: streets, places and hot spots", html }, files };
}

/**
 * Emerging Hot Spot Analysis of anti-social behaviour and criminal damage: Gi* per quarter on
 * 400 m cells (queen band, 600 m), Mann–Kendall per cell, ESRI's categories; the cells that are
 * new, consecutive or intensifying hot spots, named by their commonest location.
 */
function emergingPart(table: IncidentTable): { html: string; geojson: string | null } {
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
  const items = found.slice(0, 6).map((f) => `${EMERGING_HOTSPOT_LABELS[f.category]} around ${nameOf(f.k)} (${f.recent} incident${f.recent === 1 ? "" : "s"} in the last two quarters)`);
  return {
    html: `${head}<p>${escapeHtml(`${found.length} cell${found.length === 1 ? "" : "s"} of ${cell} m ${found.length === 1 ? "is" : "are"} emerging hot spots of anti-social behaviour and criminal damage (${span}):`)}</p><ul>${items.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ul>${method}`,
    geojson,
  };
}
