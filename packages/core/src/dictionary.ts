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

/**
 * A 0/1 mask over a column's codes: 1 where the code's value is one of `values` (the missing
 * value never matches). Test a row with `mask[column.codes[i]] === 1`.
 *
 * @example
 * const burglary = valueMask(table.category, ["burglary"]);
 * burglary[table.category.codes[0]]; // => 1 when row 0 is a burglary
 */
export function valueMask(column: DictColumn, values: Iterable<string>): Uint8Array {
  const wanted = new Set(values);
  return Uint8Array.from(column.values, (v) => (v !== null && wanted.has(v) ? 1 : 0));
}

/** Returns the code of `value` in `column`, or -1 when the value never occurs. */
export function dictCode(column: DictColumn, value: string | null): number {
  if (value === null) return 0;
  return column.values.indexOf(value);
}

/**
 * A copy of `s` that does not share storage with the text it was cut from. V8 represents a
 * `slice` of 13 or more characters as a view of its parent, so keeping one field of a 64 MB
 * chunk would keep the whole chunk alive; dictionary entries and cache keys outlive their
 * chunk, so they are detached once when first seen. (Joining makes a rope; slicing the rope
 * first flattens it into a fresh string of `s.length + 1` characters and slices that.)
 * @internal
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

/** Entries up to which a {@link SpanMap} hashes a few characters only. */
const SMALL = 32;

/**
 * An open-addressing hash map from strings to entry numbers (0, 1, … in insertion order)
 * that is looked up by a span `text[a..b)` of a larger string, so a reader can find a
 * field's entry without making a string for the field.
 * @internal Used by the adapters in this package; not exported from the index.
 */
export class SpanMap {
  /** Keys by entry number. */
  readonly keys: string[] = [];
  private slots: Int32Array; // per slot: entry + 1 (0 = empty), then the key's hash
  private mask: number;
  // The keys' characters back to back, compared in place of the key strings (which lie
  // scattered in the heap: a cache miss each).
  private chars = new Uint16Array(1024);
  private offsets = new Int32Array(65);
  private used = 0;
  // Up to SMALL entries, keys are hashed on their length and three characters and compared
  // natively (the few keys stay in cache); past that, on every character.
  private small = true;

  constructor(capacity = 64) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  /** Number of entries. */
  get size(): number {
    return this.keys.length;
  }

  /** MurmurHash3 (x86, 32-bit) over the span's UTF-16 code units, two per 32-bit word. */
  private static hash(text: string, a: number, b: number): number {
    let h = 0x2c1b3c6d;
    let k = a;
    for (; k + 1 < b; k += 2) {
      let w = Math.imul(text.charCodeAt(k) | (text.charCodeAt(k + 1) << 16), 0xcc9e2d51);
      w = Math.imul((w << 15) | (w >>> 17), 0x1b873593);
      h ^= w;
      h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
    }
    if (k < b) {
      let w = Math.imul(text.charCodeAt(k), 0xcc9e2d51);
      w = Math.imul((w << 15) | (w >>> 17), 0x1b873593);
      h ^= w;
    }
    h ^= b - a;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  /** A cheap hash of a span's length and first, middle and last characters. */
  private static sample(text: string, a: number, b: number): number {
    const len = b - a;
    let h = Math.imul(len, 0x9e3779b1);
    if (len > 0) h ^= text.charCodeAt(a) ^ (text.charCodeAt(a + (len >> 1)) << 11) ^ (text.charCodeAt(b - 1) << 21);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  /** The entry whose key equals `text.slice(a, b)`, or -1. */
  get(text: string, a: number, b: number): number {
    if (this.small) {
      const h = SpanMap.sample(text, a, b);
      const slots = this.slots;
      const mask = this.mask;
      const len = b - a;
      for (let s = h & mask; ; s = (s + 1) & mask) {
        const e = slots[2 * s] - 1;
        if (e < 0) return -1;
        if (slots[2 * s + 1] === h) {
          const key = this.keys[e];
          if (key.length === len && text.slice(a, b) === key) return e;
        }
      }
    }
    const h = SpanMap.hash(text, a, b);
    const slots = this.slots;
    const mask = this.mask;
    const len = b - a;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = slots[2 * s] - 1;
      if (e < 0) return -1;
      if (slots[2 * s + 1] === h) {
        const o = this.offsets[e];
        if (this.offsets[e + 1] - o === len) {
          const chars = this.chars;
          let k = 0;
          while (k < len && chars[o + k] === text.charCodeAt(a + k)) ++k;
          if (k === len) return e;
        }
      }
    }
  }

  /** Adds `key` (which must be absent) and returns its entry number. The key is {@link detach}ed. */
  add(key: string): number {
    const e = this.keys.length;
    this.keys.push(detach(key));
    if (this.used + key.length > this.chars.length) {
      const next = new Uint16Array(Math.max(this.chars.length * 2, this.used + key.length));
      next.set(this.chars);
      this.chars = next;
    }
    for (let k = 0; k < key.length; ++k) this.chars[this.used + k] = key.charCodeAt(k);
    this.used += key.length;
    if (e + 2 > this.offsets.length) {
      const next = new Int32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    this.offsets[e + 1] = this.used;
    if (this.small && e + 1 > SMALL) {
      this.small = false;
      this.slots.fill(0);
      for (let k = 0; k < e; ++k) this.place(k, SpanMap.hash(this.keys[k], 0, this.keys[k].length));
    }
    if ((e + 1) * 2 > this.mask + 1) this.rehash();
    this.place(e, this.small ? SpanMap.sample(key, 0, key.length) : SpanMap.hash(key, 0, key.length));
    return e;
  }

  private place(e: number, h: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let s = h & mask;
    while (slots[2 * s] !== 0) s = (s + 1) & mask;
    slots[2 * s] = e + 1;
    slots[2 * s + 1] = h;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = (this.mask << 1) | 1;
    for (let s = 0; s < old.length; s += 2) if (old[s] !== 0) this.place(old[s] - 1, old[s + 1]);
  }
}

/** Codes of a {@link DictBuilder}: the narrowest array that holds every code handed out so far. */
export type DictCodes = Uint8Array | Uint16Array | Uint32Array;

/**
 * Builds a dictionary column row by row, growing storage geometrically. Codes are stored in the
 * narrowest array their dictionary allows, widened when the 256th and the 65,536th value arrive:
 * most columns (source, category, force, outcome) keep one byte a row, not four, which is most
 * of a reader's memory at national scale (14 columns × 18M rows: 252 MB instead of 1 GB).
 */
export class DictBuilder {
  private readonly index = new Map<string, number>();
  readonly values: (string | null)[] = [null];
  codes: DictCodes;
  constructor(capacity = 1024) {
    this.codes = new Uint8Array(capacity);
  }
  /**
   * Returns the code for `value`, adding it to the dictionary if new; `null`/"" is missing (0).
   * A new code the codes array cannot hold widens it first, so any code this returns can be stored.
   */
  encode(value: string | null | undefined): number {
    if (value === null || value === undefined || value === "") return 0;
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.values.length;
      if (code === 0x100 || code === 0x10000) this.widen(code);
      const own = detach(value);
      this.values.push(own);
      this.index.set(own, code);
    }
    return code;
  }
  /** Copies the codes into the next wider array type (Uint8 → Uint16 → Uint32) for `code` (256 or 65,536). */
  private widen(code: number): void {
    const bytes = code < 0x10000 ? 2 : 4;
    if (this.codes.BYTES_PER_ELEMENT >= bytes) return;
    const next = bytes === 2 ? new Uint16Array(this.codes.length) : new Uint32Array(this.codes.length);
    next.set(this.codes);
    this.codes = next;
  }
  set(row: number, value: string | null | undefined): void {
    if (row >= this.codes.length) this.grow(row + 1);
    const code = this.encode(value); // first: it may widen the codes array
    this.codes[row] = code;
  }
  setCode(row: number, code: number): void {
    if (row >= this.codes.length) this.grow(row + 1);
    this.codes[row] = code;
  }
  private grow(min: number): void {
    const next = new (this.codes.constructor as new (n: number) => DictCodes)(Math.max(min, this.codes.length * 2));
    next.set(this.codes);
    this.codes = next;
  }
  /**
   * Exact-size column of the kept rows (`keep` is a list of row indices in order, or all rows).
   * With `inPlace` (for a builder that is then let go; `keep`, if given, strictly increasing) the
   * codes are compacted in the builder's own array when its type is the narrowest that fits, and
   * the column is a view of its first rows: nothing is copied (see {@link compactDict}).
   */
  finish(length: number, keep?: ArrayLike<number>, options: { inPlace?: boolean } = {}): DictColumn {
    if (this.codes.length < length) this.grow(length); // rows never set are missing (0)
    return compactDict(this.codes, this.values, length, keep, options.inPlace ? this.codes : undefined);
  }
}

/**
 * Narrows codes to the smallest array type and drops dictionary entries no kept row uses.
 *
 * `into`: an array the result may be written into, rows moving only forward — the codes array
 * itself, when its owner lets it go (`keep` must then be strictly increasing). When its type is
 * the result's, the column is `into.subarray(0, n)`: no new array, none of its pages touched for
 * the first time (a national table's columns are hundreds of MB, and on some machines a page
 * written for the first time costs more than filling it).
 */
export function compactDict(
  codes: ArrayLike<number>,
  values: ReadonlyArray<string | null>,
  length: number,
  keep?: ArrayLike<number>,
  into?: DictCodes,
): DictColumn {
  const n = keep ? keep.length : length;
  if (values.length === 1) return { codes: new Uint8Array(n), values: [null] }; // never set: all missing
  const used = new Uint8Array(values.length);
  if (keep) for (let k = 0; k < n; ++k) used[codes[keep[k]]] = 1;
  else for (let k = 0; k < n; ++k) used[codes[k]] = 1;
  const remap = new Uint32Array(values.length);
  const kept: (string | null)[] = [null];
  for (let c = 1; c < values.length; ++c) {
    if (used[c]) {
      remap[c] = kept.length;
      kept.push(values[c]);
    }
  }
  const bytes = kept.length <= 0x100 ? 1 : kept.length <= 0x10000 ? 2 : 4;
  const out = into && into.BYTES_PER_ELEMENT === bytes && into.length >= n ? into.subarray(0, n) : bytes === 1 ? new Uint8Array(n) : bytes === 2 ? new Uint16Array(n) : new Uint32Array(n);
  if (keep) for (let k = 0; k < n; ++k) out[k] = remap[codes[keep[k]]];
  else for (let k = 0; k < n; ++k) out[k] = remap[codes[k]];
  return { codes: out, values: kept };
}
