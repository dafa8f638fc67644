import { InputError, invalidOption } from "./errors.js";
import { DICT_COLUMNS, type IncidentTable } from "./incident-table.js";
import type { DictColumn } from "./dictionary.js";
import { IdBuilder, idValue, type IdColumn } from "./id-column.js";
import type { IngestResult, IngestSummary } from "./ingest-result.js";
import { projector } from "./projection.js";

/** Options for {@link combineIngests}. */
export interface CombineIngestsOptions {
  /**
   * Projected CRS of the combined table. Default: the first input's. Rows of an input in
   * another CRS get x/y projected again from their lon/lat (no point is moved otherwise).
   */
  crs?: string;
}

const FN = "combineIngests";

/**
 * Combines the ingestion results of several sources — police recorded crime from police.uk, a
 * council's ASB log, the fire service's deliberate fires — into one result, so one partnership
 * assessment reads them together: the tables are concatenated (rows of the first input first),
 * the rejections listed together, and the reconciliation added up file by file (`rows =
 * accepted + rejected` still holds, overall and per file). Each source keeps its own coverage
 * (the time it covers), its ids and its area names; dictionary columns are merged by value.
 * Rows are not de-duplicated across inputs: the same incident in two sources is two records
 * (a crime and a call-out), as a partnership counts them.
 *
 * Flags (domestic, alcohol, hate) are kept only where every input records them
 * (`flagsRecorded` is the intersection), so a share of domestic abuse is never taken over rows
 * whose source cannot say.
 *
 * @example
 * const all = combineIngests([await readPoliceUkFiles(["crime/"]), readDelimited(asbText, readMapping(asbMapping))]);
 * all.summary.rows === crime.summary.rows + asb.summary.rows // => true
 * @throws InputError `invalid-option` for no input, or inputs whose tables reckon periods in
 *   different zones (combine sources of one place).
 */
export function combineIngests(results: readonly IngestResult[], options: CombineIngestsOptions = {}): IngestResult {
  if (!Array.isArray(results) || results.length === 0) invalidOption(FN, "results", "a non-empty list of ingestion results", results);
  if (results.length === 1) return results[0];
  const tables = results.map((r) => r.table);
  const zone = tables[0].zone;
  const other = tables.find((t) => t.zone !== zone);
  if (other) throw new InputError("invalid-option", `${FN}: every input must reckon periods in one zone, got ${zone} and ${other.zone}`);
  return { table: concatTables(tables, options.crs ?? tables[0].crs), rejected: results.flatMap((r) => r.rejected), summary: addSummaries(results.map((r) => r.summary)) };
}

function concatTables(tables: readonly IncidentTable[], crs: string): IncidentTable {
  const n = tables.reduce((a, t) => a + t.length, 0);
  const cat = <T extends Float64Array | Int32Array | Uint8Array>(pick: (t: IncidentTable) => T): T => {
    const first = pick(tables[0]);
    const out = new (first.constructor as new (n: number) => T)(n);
    let at = 0;
    for (const t of tables) {
      out.set(pick(t), at);
      at += t.length;
    }
    return out;
  };
  const x = cat((t) => t.x);
  const y = cat((t) => t.y);
  const lon = cat((t) => t.lon);
  const lat = cat((t) => t.lat);
  // Points of an input in another CRS, projected again from lon/lat.
  let at = 0;
  for (const t of tables) {
    if (t.crs !== crs) {
      const p = projector(crs);
      for (let i = at; i < at + t.length; ++i) {
        if (!Number.isFinite(lon[i]) || !Number.isFinite(lat[i])) continue;
        const [px, py] = p.forward(lon[i], lat[i]);
        x[i] = px;
        y[i] = py;
      }
    }
    at += t.length;
  }
  const dicts = Object.fromEntries(DICT_COLUMNS.map((name) => [name, concatDict(tables.map((t) => t[name]), tables.map((t) => t.length), n)]));
  const areaNames = new Map<string, string>();
  for (const t of tables) for (const [k, v] of t.areaNames) if (!areaNames.has(k)) areaNames.set(k, v);
  return {
    ...tables[0],
    ...dicts,
    length: n,
    crs,
    id: concatIds(tables.map((t) => t.id), tables.map((t) => t.length)),
    start: cat((t) => t.start),
    end: cat((t) => t.end),
    precision: cat((t) => t.precision),
    x,
    y,
    lon,
    lat,
    flags: cat((t) => t.flags),
    flagsRecorded: tables.reduce((mask, t) => mask & t.flagsRecorded, tables[0].flagsRecorded),
    areaNames,
    coverage: tables.flatMap((t) => t.coverage),
  } as IncidentTable;
}

/** Dictionary columns merged by value: one value list, codes remapped. */
function concatDict(columns: readonly DictColumn[], lengths: readonly number[], n: number): DictColumn {
  const values: (string | null)[] = [];
  const index = new Map<string | null, number>();
  const maps = columns.map((c) =>
    Uint32Array.from(c.values, (v) => {
      let k = index.get(v);
      if (k === undefined) {
        k = values.length;
        values.push(v);
        index.set(v, k);
      }
      return k;
    }),
  );
  const codes = values.length <= 0x100 ? new Uint8Array(n) : values.length <= 0x10000 ? new Uint16Array(n) : new Uint32Array(n);
  let at = 0;
  columns.forEach((c, j) => {
    const map = maps[j];
    for (let i = 0; i < lengths[j]; ++i) codes[at + i] = map[c.codes[i]];
    at += lengths[j];
  });
  return { codes, values };
}

/** Id columns concatenated: bytes and offsets shifted when every input shares one encoding, else re-encoded. */
function concatIds(columns: readonly IdColumn[], lengths: readonly number[]): IdColumn {
  const n = lengths.reduce((a, b) => a + b, 0);
  if (columns.every((c) => c.encoding === columns[0].encoding)) {
    const size = columns.reduce((a, c, j) => a + c.offsets[lengths[j]], 0);
    const bytes = new Uint8Array(size);
    const offsets = new Uint32Array(n + 1);
    let row = 0;
    let base = 0;
    columns.forEach((c, j) => {
      bytes.set(c.bytes.subarray(0, c.offsets[lengths[j]]), base);
      for (let i = 1; i <= lengths[j]; ++i) offsets[row + i] = base + c.offsets[i];
      row += lengths[j];
      base += c.offsets[lengths[j]];
    });
    return { encoding: columns[0].encoding, bytes, offsets };
  }
  const b = new IdBuilder();
  let row = 0;
  columns.forEach((c, j) => {
    for (let i = 0; i < lengths[j]; ++i) b.set(row++, idValue(c, i));
  });
  return b.finish(n);
}

/** Reconciliations added up: rows, accepted, rejected, per reason and per note; the files listed together. */
function addSummaries(summaries: readonly IngestSummary[]): IngestSummary {
  const byReason: Record<string, number> = {};
  const notes: Record<string, number> = {};
  for (const s of summaries) {
    for (const [k, v] of Object.entries(s.byReason)) byReason[k] = (byReason[k] ?? 0) + (v ?? 0);
    for (const [k, v] of Object.entries(s.notes)) notes[k] = (notes[k] ?? 0) + v;
  }
  return {
    rows: summaries.reduce((a, s) => a + s.rows, 0),
    accepted: summaries.reduce((a, s) => a + s.accepted, 0),
    rejected: summaries.reduce((a, s) => a + s.rejected, 0),
    files: summaries.flatMap((s) => s.files),
    byReason,
    notes,
  };
}
