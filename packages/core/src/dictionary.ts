/**
 * A dictionary-encoded string column: `codes[i]` indexes `values`; code 0 is
 * reserved for a missing value (`values[0]` is `null`). Codes are stored in the
 * narrowest unsigned typed array that holds the dictionary.
 */
export interface DictColumn {
  readonly codes: Uint8Array | Uint16Array | Uint32Array;
  readonly values: ReadonlyArray<string | null>;
}

/** Returns the string at row `i` of a dictionary column, or `null` when missing. */
export function dictValue(column: DictColumn, i: number): string | null {
  return column.values[column.codes[i]];
}

/** Returns the code of `value` in `column`, or -1 when the value never occurs. */
export function dictCode(column: DictColumn, value: string | null): number {
  if (value === null) return 0;
  return column.values.indexOf(value);
}

/** Builds a dictionary column row by row, growing storage geometrically. */
export class DictBuilder {
  private readonly index = new Map<string, number>();
  readonly values: (string | null)[] = [null];
  codes: Uint32Array;
  constructor(capacity = 1024) {
    this.codes = new Uint32Array(capacity);
  }
  /** Returns the code for `value`, adding it to the dictionary if new; `null`/"" is missing (0). */
  encode(value: string | null | undefined): number {
    if (value === null || value === undefined || value === "") return 0;
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.index.set(value, code);
    }
    return code;
  }
  set(row: number, value: string | null | undefined): void {
    if (row >= this.codes.length) this.grow(row + 1);
    this.codes[row] = this.encode(value);
  }
  setCode(row: number, code: number): void {
    if (row >= this.codes.length) this.grow(row + 1);
    this.codes[row] = code;
  }
  private grow(min: number): void {
    const next = new Uint32Array(Math.max(min, this.codes.length * 2));
    next.set(this.codes);
    this.codes = next;
  }
  /** Exact-size column of the kept rows (`keep` is a list of row indices in order, or all rows). */
  finish(length: number, keep?: ArrayLike<number>): DictColumn {
    if (this.codes.length < length) this.grow(length); // rows never set are missing (0)
    return compactDict(this.codes, this.values, length, keep);
  }
}

/** Narrows codes to the smallest array type and drops dictionary entries no kept row uses. */
export function compactDict(
  codes: ArrayLike<number>,
  values: ReadonlyArray<string | null>,
  length: number,
  keep?: ArrayLike<number>,
): DictColumn {
  const n = keep ? keep.length : length;
  const used = new Uint8Array(values.length);
  for (let k = 0; k < n; ++k) used[codes[keep ? keep[k] : k]] = 1;
  const remap = new Uint32Array(values.length);
  const kept: (string | null)[] = [null];
  for (let c = 1; c < values.length; ++c) {
    if (used[c]) {
      remap[c] = kept.length;
      kept.push(values[c]);
    }
  }
  const out = kept.length <= 0x100 ? new Uint8Array(n) : kept.length <= 0x10000 ? new Uint16Array(n) : new Uint32Array(n);
  for (let k = 0; k < n; ++k) out[k] = remap[codes[keep ? keep[k] : k]];
  return { codes: out, values: kept };
}
