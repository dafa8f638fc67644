/**
 * Small per-row kernels for the report's sections: each loop over a table's rows lives in a
 * function of its own, not in a section's body.
 *
 * Why it matters (measured 2026-12-07: 60 national reports built in one process, 4.5M rows,
 * `node --trace-opt`): V8 optimises a function whose loops run long, and a section function is
 * thousands of bytecodes long, so a row loop in it had V8 compile the whole section (≈ 360 ms of
 * a compiler thread for the trends section) and compile it again after each deoptimisation, when
 * the next area's rows took another path: 15.2 s of compiling over the 60 reports, ≈ 250 ms of
 * CPU a report, beside ≈ 280 ms of the report's own work. These kernels compile in about 2 ms
 * each, a few times in a whole run (9 compilations over the same 60 reports, all five together).
 */

/** Rows per dictionary code (`counts[c]`), and the first row with each code (`first[c]`, -1 where none): codes in the order their first rows come is `firstOrder`. */
export interface CodeTally {
  readonly counts: Float64Array;
  readonly first: Int32Array;
}

/**
 * Counts the rows of each code in `codes` (each from 0 to `size` − 1), with the first row of
 * each; with `finite`, only the rows where `finite[i]` is a finite number (located rows, by x).
 */
export function tallyCodes(codes: ArrayLike<number>, size: number, finite?: ArrayLike<number>): CodeTally {
  const counts = new Float64Array(size);
  const first = new Int32Array(size).fill(-1);
  for (let i = 0; i < codes.length; ++i) {
    if (finite !== undefined && !Number.isFinite(finite[i])) continue;
    const c = codes[i];
    if (counts[c]++ === 0) first[c] = i;
  }
  return { counts, first };
}

/** The codes that occur, in the order of their first rows (as a `Map` filled row by row would list them). */
export function firstOrder(tally: CodeTally): number[] {
  const used: number[] = [];
  for (let c = 0; c < tally.counts.length; ++c) if (tally.counts[c] > 0) used.push(c);
  return used.sort((a, b) => tally.first[a] - tally.first[b]);
}

/** The codes of `codes` on the rows where `where[i] === whereCode`, as a set of codes. */
export function codesWhere(codes: ArrayLike<number>, where: ArrayLike<number>, whereCode: number, size: number): Set<number> {
  const seen = new Uint8Array(size);
  for (let i = 0; i < codes.length; ++i) if (where[i] === whereCode) seen[codes[i]] = 1;
  const out = new Set<number>();
  for (let c = 0; c < size; ++c) if (seen[c]) out.add(c);
  return out;
}

/** How many of `values` are finite numbers (not NaN or ±Infinity). */
export function countFinite(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; ++i) if (Number.isFinite(values[i])) n += 1;
  return n;
}

/**
 * Incidents per step and cell: `out[k][cell[i]]` counts the rows whose step (`ordinal[i] − from`)
 * is `k`, from 0 to `steps` − 1; rows outside the steps or with no cell (−1) are left out.
 */
export function quarterCellCounts(ordinal: ArrayLike<number>, from: number, steps: number, cell: ArrayLike<number>, cells: number): Float64Array[] {
  const out = Array.from({ length: steps }, () => new Float64Array(cells));
  for (let i = 0; i < ordinal.length; ++i) {
    const k = ordinal[i] - from;
    if (k < 0 || k >= steps || cell[i] < 0) continue;
    out[k][cell[i]] += 1;
  }
  return out;
}
