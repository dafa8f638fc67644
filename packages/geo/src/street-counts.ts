import { type IncidentTable, type Period, type Projector, InputError, categoryLabel, describeValue, invalidOption, periodMask, projector, valueMask } from "@community-safety/core";

const FN = "streetCounts";

/**
 * The place categories police.uk writes as `On or near <category>` instead of a street name
 * (its anonymisation snaps a crime to the nearest map point, which is either a street or one of
 * these public places). Each is a *type* of place, not one place: "Supermarket" in Loughborough
 * and "Supermarket" in Shepshed are different supermarkets, so {@link streetCounts} keys them by
 * their snap point. The list is police.uk's set (as used by police.uk clients); the 17 of them
 * seen in the Leicestershire files of 2014 and 2019–22 are Airport/Airfield, Bus/Coach Station,
 * Conference/Exhibition Centre, Further/Higher Educational Building, Hospital, Motorway Service
 * Area, Nightclub, Park/Open Space, Parking Area, Pedestrian Subway, Petrol Station, Police
 * Station, Prison, Shopping Area, Sports/Recreation Area, Supermarket and Theatre/Concert Hall.
 * Names are compared case-insensitively (older releases wrote "Sports/recreation Area").
 */
export const POLICE_UK_PLACE_NAMES: readonly string[] = [
  "Airport/Airfield",
  "Bus/Coach Station",
  "Conference/Exhibition Centre",
  "Ferry Terminal",
  "Further/Higher Educational Building",
  "Further/Higher Education Building",
  "Hospital",
  "Motorway Service Area",
  "Nightclub",
  "Park/Open Space",
  "Parking Area",
  "Pedestrian Subway",
  "Petrol Station",
  "Police Station",
  "Prison",
  "Race Track",
  "Shopping Area",
  "Sports/Recreation Area",
  "Supermarket",
  "Theatre/Concert Hall",
  "Theme/Adventure Park",
];

/**
 * How a street name is tied to a place, so that one name in two towns is two streets.
 *
 * - `"cluster"` (default): single-linkage clustering of the name's snap points — two points of
 *   the same name belong to one street when a chain of that name's points, each within
 *   `linkDistance` metres of the next, joins them (the connected components of the graph
 *   linking points at most `linkDistance` apart; R: `cutree(hclust(dist(xy), "single"), h = d)`).
 *   High Street in Loughborough and High Street in Syston (11.6 km apart) are two streets; a long
 *   road whose snap points are never more than `linkDistance` apart stays one street even where
 *   it crosses area boundaries.
 * - `"lsoa"`, `"ward"`, `"beat"`, `"district"`: name + that column (a street crossing a boundary
 *   is split; `"district"` merges same-named streets of two villages in one district).
 * - `"msoa"`: name + the LSOA name without its final letter (police.uk "Charnwood 022A" →
 *   "Charnwood 022", the MSOA), for data without coordinates worth clustering.
 * - `"none"`: the name alone — the naive count that merges every High Street in the area.
 */
export type StreetLocality = "cluster" | "lsoa" | "msoa" | "ward" | "beat" | "district" | "none";
const LOCALITIES: readonly StreetLocality[] = ["cluster", "lsoa", "msoa", "ward", "beat", "district", "none"];

/** Options for {@link streetCounts}. */
export interface StreetCountsOptions {
  /** Category keys to count (e.g. `["burglary"]`). Default: every category. */
  categories?: readonly string[];
  /**
   * `"category"` ranks streets within each category separately (rows without a category are
   * then left out); `null` (default) ranks all selected incidents together.
   */
  by?: "category" | null;
  /** How a street name is tied to a place (see {@link StreetLocality}). Default `"cluster"`. */
  locality?: StreetLocality;
  /**
   * Single-linkage distance in metres for `locality: "cluster"`. Default 1500: on Charnwood's
   * police.uk points (2019–22) 1000 m splits Loughborough's Ashby Road at a 1.28 km gap between
   * its snap points with crime, and 2000 m merges the High Streets of Quorn and Barrow upon Soar
   * (1.74 km apart); 1500 m does neither. Villages closer than this merge: lower it there.
   */
  linkDistance?: number;
  /**
   * Location names that are place categories, keyed by snap point rather than by name
   * (compared case-insensitively). Default {@link POLICE_UK_PLACE_NAMES}.
   */
  places?: readonly string[];
  /** Keep only the first `top` rows of each group. Default: every street and place with an incident. */
  top?: number;
  /**
   * Count only the incidents of this period: a key (`"2021/22"`, `"2021-Q3"`, `"2021-07"`, a month
   * range `"2021-04..2021-10"`) read in the table's zone, or a core `Period`. An incident is placed
   * by the start of its occurrence window (core's `periodMask`, as `levels` places it). Streets are
   * still formed from every located row, as with `categories`, so a street has the same name,
   * locality and position in every period. Default: every incident.
   */
  period?: Period | string;
  /** First month (1–12) of the financial year, for `period` keys such as `"2021/22"`. Default 4. */
  fyStartMonth?: number;
}

/** One street or place of {@link StreetCountsResult.rows}. */
export interface StreetCountRow {
  /** The category key when `by: "category"`, else `null`. */
  category: string | null;
  /** 1-based position in its group after sorting (count descending; ties by name in code-unit order, unnamed last, then centroid x, y). */
  rank: number;
  /** Street name or place category (`On or near ` removed); `null` for a snap point police.uk left unnamed. */
  name: string | null;
  /**
   * Where it is, in words: the MSOA-like LSOA-name prefix ("Charnwood 022") of its most common
   * LSOA for `cluster`, `msoa` and `none`; the LSOA, ward or beat name (or code) or the district
   * for those localities. `null` for a street under `locality: "none"` (it may span towns).
   */
  locality: string | null;
  /** `"street"`, `"place"` (a place category at one snap point) or `"unnamed"` (a snap point with no name). */
  kind: "street" | "place" | "unnamed";
  /** Incidents counted. */
  count: number;
  /** `count` ÷ the group's located incidents. */
  share: number;
  /** Share held by this row and every row above it. */
  cumulativeShare: number;
  /**
   * Distinct (x, y) points among its incidents (snap points for police.uk). This and the fields
   * below describe the street or place from *all* the table's located incidents on it, whatever
   * the categories counted, so a street has the same label and position in every result.
   */
  points: number;
  /** Most common LSOA code among its incidents (`null` when none is recorded). */
  lsoa: string | null;
  /** Mean x/y of its incidents (metres in the table's CRS) and that centroid in WGS84 lon/lat. */
  x: number;
  y: number;
  lon: number;
  lat: number;
}

/** Totals of one group of {@link StreetCountsResult}. */
export interface StreetCountsGroup {
  category: string | null;
  /** Located incidents in the group (the denominator of `share`). */
  incidents: number;
  /** Streets and places with at least one incident (before `top`). */
  units: number;
}

/** What {@link streetCounts} returns. */
export interface StreetCountsResult {
  /** Rows sorted by group (category key order when `by: "category"`) then rank. */
  rows: StreetCountRow[];
  groups: StreetCountsGroup[];
  /** How rows were grouped (the `by` option). */
  by: "category" | null;
  /** Category keys of the incidents counted, in key order. */
  categories: string[];
  /** Selected incidents without coordinates (not counted: they cannot be put on a street). */
  unlocated: number;
  locality: StreetLocality;
  linkDistance: number;
  /** The table's projected CRS (of `x`/`y`). */
  crs: string;
}

/**
 * The selected categories' codes as a 0/1 mask over `table.category.values` (all 1 without `categories`).
 * @internal Shared by the geo modules; not exported from the index.
 */
export function categoryMask(fn: string, table: IncidentTable, categories: readonly string[] | undefined): Uint8Array {
  if (categories === undefined) return new Uint8Array(table.category.values.length).fill(1);
  if (!Array.isArray(categories) || categories.length === 0 || categories.some((c) => typeof c !== "string" || c === "")) {
    throw new InputError("unknown-category", `${fn}: categories must be a non-empty list of category keys, got ${describeValue(categories)}`);
  }
  return valueMask(table.category, categories);
}

/**
 * "Charnwood 022A" → "Charnwood 022" (an LSOA name without its final letter); other names unchanged.
 * @internal Not exported from the index.
 */
export function msoaLabel(lsoaName: string): string {
  const m = /^(.*\d{3})[A-Z]$/.exec(lsoaName);
  return m ? m[1] : lsoaName;
}

/** Union–find with path halving. */
function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

/**
 * Single-linkage components of points (`xs[k]`, `ys[k]` for k in `ids`) at distance `d`
 * (inclusive). Points are binned in a grid of side d/√2, so points sharing a cell are joined
 * without comparing them, and only cells at most two apart are compared (stopping at the first
 * linking pair). Writes the component root (an entry of `ids`) into `parent`.
 */
function linkPoints(ids: readonly number[], xs: Float64Array, ys: Float64Array, d: number, parent: Int32Array): void {
  if (ids.length < 2) return;
  const d2 = d * d;
  if (ids.length <= 24) {
    for (let a = 0; a < ids.length; ++a) {
      for (let b = a + 1; b < ids.length; ++b) {
        const p = ids[a], q = ids[b];
        const dx = xs[p] - xs[q], dy = ys[p] - ys[q];
        if (dx * dx + dy * dy <= d2) {
          const rp = find(parent, p), rq = find(parent, q);
          if (rp !== rq) parent[rq] = rp;
        }
      }
    }
    return;
  }
  const s = d / Math.SQRT2;
  const cells = new Map<string, number[]>();
  for (const p of ids) {
    const key = `${Math.floor(xs[p] / s)},${Math.floor(ys[p] / s)}`;
    const list = cells.get(key);
    if (list) {
      list.push(p);
      const r0 = find(parent, list[0]), rp = find(parent, p);
      if (r0 !== rp) parent[rp] = r0; // same cell: within d of each other
    } else cells.set(key, [p]);
  }
  for (const [key, list] of cells) {
    const comma = key.indexOf(",");
    const cx = +key.slice(0, comma), cy = +key.slice(comma + 1);
    for (let ox = -2; ox <= 2; ++ox) {
      for (let oy = -2; oy <= 2; ++oy) {
        if (ox < 0 || (ox === 0 && oy <= 0)) continue; // each unordered pair of cells once
        if (Math.abs(ox) === 2 && Math.abs(oy) === 2) continue; // corners are > d apart
        const other = cells.get(`${cx + ox},${cy + oy}`);
        if (!other || find(parent, list[0]) === find(parent, other[0])) continue;
        search: for (const p of list) {
          for (const q of other) {
            const dx = xs[p] - xs[q], dy = ys[p] - ys[q];
            if (dx * dx + dy * dy <= d2) {
              parent[find(parent, other[0])] = find(parent, list[0]);
              break search;
            }
          }
        }
      }
    }
  }
}

/**
 * Returns incidents counted per street and per place, with each one's share and the cumulative
 * share, sorted from the most incidents down — "five streets accounted for 8% of burglary".
 *
 * A street is a name *within a locality* (see {@link StreetLocality}; default: the name's snap
 * points clustered by single linkage at `linkDistance` = 1.5 km), so High Street in two towns is
 * two streets. Place categories (police.uk's "On or near Supermarket", see
 * {@link POLICE_UK_PLACE_NAMES}) and unnamed points are keyed by their exact (x, y) snap point:
 * each is one place. Streets are formed from every located row of the table (the geography does
 * not depend on the crime type), then the selected categories are counted on them. Rows without
 * coordinates are left out and reported as `unlocated`; shares are of the located incidents.
 * Designed for police.uk's snapped points: with exact coordinates (not snapped) each place-category
 * incident would be its own place. An empty selection gives no rows.
 *
 * @throws InputError `unknown-category` when `categories` is empty or not a list of strings.
 * @throws InputError `invalid-option` for an unknown `locality` or `by`, a `linkDistance` that is
 *   not a positive finite number, `top` not a positive integer, `places` not a list of strings,
 *   a `period` that is neither a key nor a Period, or an `fyStartMonth` outside 1–12.
 * @throws InputError `invalid-date` for a `period` key that cannot be read; `precision-too-coarse`
 *   for records coarser than the `period` (police.uk months against a day or a week).
 * @example
 * const r = streetCounts(table, { categories: ["burglary"], top: 5 });
 * // Charnwood police.uk burglary, 2019-12 to 2022-10:
 * r.rows[0]; // => { rank: 1, name: "Ashby Road", locality: "Charnwood 003", kind: "street", count: 45, share: 0.0216, … }
 * topShareSentence(r, 5); // => "the top 5 streets hold 5.9% of burglary"
 * // One financial year only (the same streets, counted on 2021/22's 592 burglaries):
 * streetCounts(table, { categories: ["burglary"], period: "2021/22", top: 1 }).rows[0]; // => { name: "Ashby Road", count: 25, … }
 */
export function streetCounts(table: IncidentTable, options: StreetCountsOptions = {}): StreetCountsResult {
  const { categories, by = null, locality = "cluster", linkDistance = 1500, places = POLICE_UK_PLACE_NAMES, top, period, fyStartMonth } = options ?? {};
  if (by !== null && by !== "category") invalidOption(FN, "by", '"category" or null', by);
  if (!LOCALITIES.includes(locality)) invalidOption(FN, "locality", LOCALITIES.map((l) => `"${l}"`).join(", "), locality);
  if (typeof linkDistance !== "number" || !(linkDistance > 0) || !Number.isFinite(linkDistance)) invalidOption(FN, "linkDistance", "a positive number of metres", linkDistance);
  if (top !== undefined && !(Number.isInteger(top) && top > 0)) invalidOption(FN, "top", "a positive integer", top);
  if (!Array.isArray(places) || places.some((p) => typeof p !== "string")) invalidOption(FN, "places", "a list of location names", places);
  const catMask = categoryMask(FN, table, categories);
  const inPeriod = period === undefined ? null : periodMask(table, period, { fyStartMonth, fn: FN });

  const n = table.length;
  const { x, y } = table;
  const locCodes = table.location.codes;
  const locValues = table.location.values;
  const placeSet = new Set(places.map((p) => p.toLowerCase()));
  // Kind of each location name: 0 unnamed, 1 street, 2 place.
  const nameKind = Uint8Array.from(locValues, (v) => (v === null || v.trim() === "" ? 0 : placeSet.has(v.toLowerCase()) ? 2 : 1));

  // Distinct (name, x, y) points over every located row.
  const rowPoint = new Int32Array(n).fill(-1);
  const pointIndex = new Map<string, number>();
  const px: number[] = [];
  const py: number[] = [];
  const pName: number[] = [];
  // Row loops run in small functions of their own: a long loop has V8 optimise the function it is
  // in, and recompiling this long one after each deoptimisation cost ≈ 90 ms of a compiler thread
  // each time over 60 national reports (2026-12-07).
  const findPoints = () => {
    for (let i = 0; i < n; ++i) {
      const xi = x[i], yi = y[i];
      if (!Number.isFinite(xi) || !Number.isFinite(yi)) continue;
      const name = nameKind[locCodes[i]] === 0 ? 0 : locCodes[i];
      const key = `${name}|${xi}|${yi}`;
      let p = pointIndex.get(key);
      if (p === undefined) {
        p = px.length;
        pointIndex.set(key, p);
        px.push(xi);
        py.push(yi);
        pName.push(name);
      }
      rowPoint[i] = p;
    }
  };
  findPoints();
  const np = px.length;
  const pointX = Float64Array.from(px);
  const pointY = Float64Array.from(py);

  // Units: places and unnamed points by point; streets by the locality rule.
  const unitName: number[] = [];
  const rowUnit = new Int32Array(n).fill(-1);
  const pointUnit = new Int32Array(np).fill(-1);
  for (let p = 0; p < np; ++p) {
    if (nameKind[pName[p]] !== 1) {
      pointUnit[p] = unitName.length;
      unitName.push(pName[p]);
    }
  }
  if (locality === "cluster") {
    const byName = new Map<number, number[]>();
    for (let p = 0; p < np; ++p) {
      if (nameKind[pName[p]] !== 1) continue;
      const list = byName.get(pName[p]);
      if (list) list.push(p);
      else byName.set(pName[p], [p]);
    }
    const parent = Int32Array.from({ length: np }, (_, k) => k);
    for (const [name, ids] of byName) {
      linkPoints(ids, pointX, pointY, linkDistance, parent);
      for (const p of ids) {
        const r = find(parent, p);
        if (pointUnit[r] < 0) {
          pointUnit[r] = unitName.length;
          unitName.push(name);
        }
        pointUnit[p] = pointUnit[r];
      }
    }
    for (let i = 0; i < n; ++i) if (rowPoint[i] >= 0) rowUnit[i] = pointUnit[rowPoint[i]];
  } else {
    // Street key: name + a per-row locality code (0 for "none").
    let colCode: (i: number) => number = () => 0;
    if (locality === "msoa") {
      const msoaIndex = new Map<string, number>();
      const ofLsoa = Int32Array.from(table.lsoa.values, (code) => {
        if (code === null) return 0;
        const label = msoaLabel(table.areaNames.get(code) ?? code);
        let k = msoaIndex.get(label);
        if (k === undefined) msoaIndex.set(label, (k = msoaIndex.size + 1));
        return k;
      });
      colCode = (i) => ofLsoa[table.lsoa.codes[i]];
    } else if (locality !== "none") {
      const codes = table[locality].codes;
      colCode = (i) => codes[i];
    }
    const streetUnit = new Map<string, number>();
    const placeStreets = () => {
      for (let i = 0; i < n; ++i) {
        const p = rowPoint[i];
        if (p < 0) continue;
        if (pointUnit[p] >= 0) {
          rowUnit[i] = pointUnit[p];
          continue;
        }
        const key = `${pName[p]}|${colCode(i)}`;
        let u = streetUnit.get(key);
        if (u === undefined) {
          u = unitName.length;
          streetUnit.set(key, u);
          unitName.push(pName[p]);
        }
        rowUnit[i] = u;
      }
    };
    placeStreets();
  }
  const nu = unitName.length;

  // Groups.
  const catValues = table.category.values;
  const catCodes = table.category.codes;
  const groupOfCat = new Int32Array(catValues.length).fill(-1);
  const groupKeys: (string | null)[] = [];
  if (by === "category") {
    // With a period, only the categories with an incident in it (as if the table held that period alone).
    let inUse: Uint8Array | null = null;
    if (inPeriod !== null) {
      inUse = new Uint8Array(catValues.length);
      for (let i = 0; i < n; ++i) if (inPeriod[i] === 1) inUse[catCodes[i]] = 1;
    }
    const order = catValues
      .map((v, c) => [v, c] as const)
      .filter(([v, c]) => catMask[c] === 1 && v !== null && (inUse === null || inUse[c] === 1))
      .sort((a, b) => (a[0] === null ? 1 : b[0] === null ? -1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [v, c] of order) {
      groupOfCat[c] = groupKeys.length;
      groupKeys.push(v);
    }
  } else {
    groupKeys.push(null);
    for (let c = 0; c < catValues.length; ++c) if (catMask[c] === 1) groupOfCat[c] = 0;
  }
  const ng = groupKeys.length;

  // Counts per group over the selected located rows; a unit's position, points and labels over
  // all its located rows (so a street has one description whichever categories are counted).
  const count = new Float64Array(ng * nu);
  const catCounted = new Uint8Array(catValues.length);
  const groupIncidents = new Float64Array(ng);
  let unlocated = 0;
  const countUnits = () => {
    for (let i = 0; i < n; ++i) {
      const g = groupOfCat[catCodes[i]];
      if (g < 0 || (inPeriod !== null && inPeriod[i] === 0)) continue;
      const u = rowUnit[i];
      if (u < 0) {
        ++unlocated;
        continue;
      }
      count[g * nu + u] += 1;
      catCounted[catCodes[i]] = 1;
      groupIncidents[g] += 1;
    }
  };
  countUnits();
  const sumX = new Float64Array(nu);
  const sumY = new Float64Array(nu);
  const sumLon = new Float64Array(nu);
  const sumLat = new Float64Array(nu);
  const total = new Float64Array(nu);
  const points = new Int32Array(nu);
  const pointSeen = new Uint8Array(np);
  const lsoaCounts: (Map<number, number> | undefined)[] = new Array(nu);
  const localCol = locality === "ward" || locality === "beat" || locality === "district" ? table[locality] : null;
  const localCounts: (Map<number, number> | undefined)[] = new Array(nu);
  const lsoaCodes = table.lsoa.codes;
  const sumUnits = () => {
    for (let i = 0; i < n; ++i) {
      const u = rowUnit[i];
      if (u < 0) continue;
      total[u] += 1;
      sumX[u] += x[i];
      sumY[u] += y[i];
      sumLon[u] += table.lon[i];
      sumLat[u] += table.lat[i];
      const p = rowPoint[i];
      if (pointSeen[p] === 0) {
        pointSeen[p] = 1;
        points[u] += 1;
      }
      const lc = lsoaCodes[i];
      if (lc !== 0) {
        const m = (lsoaCounts[u] ??= new Map());
        m.set(lc, (m.get(lc) ?? 0) + 1);
      }
      if (localCol) {
        const cc = localCol.codes[i];
        if (cc !== 0) {
          const m = (localCounts[u] ??= new Map());
          m.set(cc, (m.get(cc) ?? 0) + 1);
        }
      }
    }
  };
  sumUnits();
  const mostCommon = (m: Map<number, number> | undefined): number => {
    if (!m) return 0;
    let best = 0, bestN = -1;
    for (const [code, k] of m) if (k > bestN || (k === bestN && code < best)) (best = code), (bestN = k);
    return best;
  };

  let proj: Projector | null = null;
  try {
    proj = projector(table.crs);
  } catch {
    proj = null; // an unsupported CRS: fall back to the mean of the rows' lon/lat
  }
  const info = new Map<number, Omit<StreetCountRow, "category" | "rank" | "count" | "share" | "cumulativeShare">>();
  const unitInfo = (u: number) => {
    let r = info.get(u);
    if (r) return r;
    const nameCode = unitName[u];
    const kind = nameKind[nameCode] === 0 ? "unnamed" : nameKind[nameCode] === 2 ? "place" : "street";
    const lsoaCode = mostCommon(lsoaCounts[u]);
    const lsoa = table.lsoa.values[lsoaCode];
    let label: string | null;
    if (localCol) {
      const v = localCol.values[mostCommon(localCounts[u])];
      label = v === null ? null : locality === "district" ? v : (table.areaNames.get(v) ?? v);
    } else if (locality === "lsoa") label = lsoa === null ? null : (table.areaNames.get(lsoa) ?? lsoa);
    else if (locality === "none" && kind === "street") label = null;
    else label = lsoa === null ? null : msoaLabel(table.areaNames.get(lsoa) ?? lsoa);
    const cx = sumX[u] / total[u], cy = sumY[u] / total[u];
    const [lon, lat] = proj ? proj.inverse(cx, cy) : [sumLon[u] / total[u], sumLat[u] / total[u]];
    r = { name: nameCode === 0 ? null : locValues[nameCode], locality: label, kind, points: points[u], lsoa, x: cx, y: cy, lon, lat };
    info.set(u, r);
    return r;
  };

  const rows: StreetCountRow[] = [];
  const groups: StreetCountsGroup[] = [];
  const cmpStr = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
  for (let g = 0; g < ng; ++g) {
    const units: number[] = [];
    for (let u = 0; u < nu; ++u) if (count[g * nu + u] > 0) units.push(u);
    units.sort((a, b) => {
      const d = count[g * nu + b] - count[g * nu + a];
      if (d !== 0) return d;
      const ia = unitInfo(a), ib = unitInfo(b);
      return cmpStr(ia.name, ib.name) || ia.x - ib.x || ia.y - ib.y;
    });
    const totalG = groupIncidents[g];
    groups.push({ category: groupKeys[g], incidents: totalG, units: units.length });
    const keep = top === undefined ? units.length : Math.min(top, units.length);
    let cum = 0;
    for (let k = 0; k < keep; ++k) {
      const u = units[k];
      const c = count[g * nu + u];
      cum += c;
      rows.push({ category: groupKeys[g], rank: k + 1, ...unitInfo(u), count: c, share: c / totalG, cumulativeShare: cum / totalG });
    }
  }
  const counted: string[] = [];
  for (let c = 0; c < catValues.length; ++c) if (catCounted[c] === 1 && catValues[c] !== null) counted.push(catValues[c] as string);
  counted.sort();
  return { rows, groups, by, categories: counted, unlocated, locality, linkDistance, crs: table.crs };
}

/** Options for {@link topShareSentence}. */
export interface TopShareSentenceOptions {
  /** The group to describe when the counts were made `by: "category"` (required then). */
  category?: string;
}

/**
 * Returns a sentence for a briefing: the share of incidents held by the top `n` rows of a
 * {@link streetCounts} result, e.g. "the top 5 streets hold 8.1% of burglary". The noun is
 * "streets", "places" or "streets and places" from the rows' kinds; the crime is the category's
 * label in lower case ("incidents" when the result covers several categories at once). The
 * share is rounded to one decimal place. With fewer than `n` streets and places, all of them
 * are described ("the 3 streets hold 100.0% of …").
 *
 * @throws InputError `invalid-option` when `n` is not a positive integer, `category` is missing
 *   or unknown for a result made `by: "category"`, or `n` exceeds the rows kept by `top`.
 * @example
 * topShareSentence(streetCounts(table, { categories: ["burglary"] }), 5); // => "the top 5 streets hold 8.1% of burglary"
 */
export function topShareSentence(result: StreetCountsResult, n: number, options: TopShareSentenceOptions = {}): string {
  const fn = "topShareSentence";
  if (!(Number.isInteger(n) && n > 0)) invalidOption(fn, "n", "a positive integer", n);
  const { category } = options ?? {};
  const byCategory = result.by === "category";
  let group: StreetCountsGroup | undefined;
  if (byCategory) {
    group = result.groups.find((g) => g.category === category);
    if (!group) invalidOption(fn, "category", `one of ${result.groups.map((g) => describeValue(g.category)).join(", ")}`, category);
  } else group = result.groups[0];
  if (!group || group.units === 0) return "there are no located incidents";
  const rows = result.rows.filter((r) => r.category === group.category);
  const k = Math.min(n, group.units);
  if (rows.length < k) invalidOption(fn, "n", `at most the ${rows.length} rows kept by top`, n);
  const kinds = new Set(rows.slice(0, k).map((r) => (r.kind === "street" ? "street" : "place")));
  const plural = k === 1 ? "" : "s";
  const noun = kinds.size === 2 ? `street${plural} and place${plural}` : kinds.has("street") ? `street${plural}` : `place${plural}`;
  const key = byCategory ? (group.category as string) : result.categories.length === 1 ? result.categories[0] : null;
  const crime = key === null ? "incidents" : categoryLabel(key).toLowerCase();
  const pct = (100 * rows[k - 1].cumulativeShare).toFixed(1);
  const lead = k < n ? (k === 1 ? "the only" : `the ${k}`) : k === 1 ? "the top" : `the top ${k}`;
  return `${lead} ${noun} ${k === 1 ? "holds" : "hold"} ${pct}% of ${crime}`;
}

/** A GeoJSON point feature of one {@link StreetCountRow}. */
export interface StreetCountFeature {
  type: "Feature";
  geometry: { type: "Point"; coordinates: [number, number] };
  properties: StreetCountRow;
}

/**
 * Returns the rows of a {@link streetCounts} result as a GeoJSON FeatureCollection of points at
 * each street's or place's centroid, in WGS84 lon/lat (RFC 7946, for QGIS or Leaflet), with the
 * row as the properties. Rows are copied; the result does not share objects with the input.
 *
 * @example
 * // Charnwood police.uk burglary: Ashby Road, Loughborough.
 * streetCountsGeoJson(streetCounts(table, { categories: ["burglary"], top: 5 })).features[0].geometry;
 * // => { type: "Point", coordinates: [-1.21844, 52.77104] }
 */
export function streetCountsGeoJson(result: StreetCountsResult): { type: "FeatureCollection"; features: StreetCountFeature[] } {
  return {
    type: "FeatureCollection",
    features: result.rows.map((r) => ({ type: "Feature", geometry: { type: "Point", coordinates: [r.lon, r.lat] }, properties: { ...r } })),
  };
}
