/**
 * A column of identifiers stored as bytes with offsets (no per-row string objects).
 * When every non-empty id is an even-length lowercase or uppercase hexadecimal string
 * (police.uk's 64-character Crime IDs), each id is packed two hex digits per byte, so a
 * Crime ID costs 32 bytes instead of a ~150-byte JavaScript string. An empty id is a
 * zero-length slot and reads back as `null`.
 */
export interface IdColumn {
  readonly encoding: "hex" | "utf8";
  readonly bytes: Uint8Array;
  /** `offsets[i]`..`offsets[i + 1]` is row i's slice of `bytes`. */
  readonly offsets: Uint32Array;
}

const HEX = "0123456789abcdef";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function isPackableHex(s: string): boolean {
  if (s.length & 1) return false;
  for (let i = 0; i < s.length; ++i) if (hexValue(s.charCodeAt(i)) < 0) return false;
  // Packing loses case; only pack ids whose letters are all one case.
  return s === s.toLowerCase() || s === s.toUpperCase();
}

/** Returns the id at row `i`, or `null` for an empty id. Hex ids read back in lowercase. */
export function idValue(column: IdColumn, i: number): string | null {
  const a = column.offsets[i];
  const b = column.offsets[i + 1];
  if (a === b) return null;
  if (column.encoding === "utf8") return decoder.decode(column.bytes.subarray(a, b));
  let s = "";
  for (let k = a; k < b; ++k) {
    const v = column.bytes[k];
    s += HEX[v >> 4] + HEX[v & 15];
  }
  return s;
}

/** Builds an {@link IdColumn}, starting hex-packed and switching to UTF-8 at the first id that is not hex. */
export class IdBuilder {
  encoding: "hex" | "utf8" = "hex";
  bytes = new Uint8Array(1 << 16);
  offsets = new Uint32Array(1025);
  length = 0; // rows written
  private used = 0;

  /** Appends `value` (or an empty id) as row `row`; rows must be written in order. */
  set(row: number, value: string | null | undefined): void {
    if (row < this.length) throw new RangeError(`IdBuilder: row ${row} was already written`);
    while (this.length < row) this.push("");
    this.push(value ?? "");
  }

  private push(value: string): void {
    if (this.length + 2 > this.offsets.length) {
      const next = new Uint32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    if (value.length > 0) {
      if (this.encoding === "hex" && !isPackableHex(value)) this.toUtf8();
      if (this.encoding === "hex") {
        const need = value.length >> 1;
        this.reserve(need);
        for (let k = 0; k < need; ++k) {
          this.bytes[this.used + k] = (hexValue(value.charCodeAt(2 * k)) << 4) | hexValue(value.charCodeAt(2 * k + 1));
        }
        this.used += need;
      } else {
        const enc = encoder.encode(value);
        this.reserve(enc.length);
        this.bytes.set(enc, this.used);
        this.used += enc.length;
      }
    }
    this.length += 1;
    this.offsets[this.length] = this.used;
  }

  private reserve(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.used + extra, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
  }

  private toUtf8(): void {
    const column: IdColumn = { encoding: "hex", bytes: this.bytes, offsets: this.offsets };
    const rows = this.length;
    const ids: string[] = [];
    for (let i = 0; i < rows; ++i) ids.push(idValue(column, i) ?? "");
    this.encoding = "utf8";
    this.bytes = new Uint8Array(Math.max(1 << 16, this.used * 2));
    this.used = 0;
    this.length = 0;
    this.offsets[0] = 0;
    for (const id of ids) this.push(id);
  }

  /** Returns the bytes of row `i` (a view, valid until the next write). */
  slice(i: number): Uint8Array {
    return this.bytes.subarray(this.offsets[i], this.offsets[i + 1]);
  }

  /** Exact-size column of the kept rows (all rows when `keep` is omitted). */
  finish(length: number, keep?: ArrayLike<number>): IdColumn {
    while (this.length < length) this.push("");
    const n = keep ? keep.length : length;
    const offsets = new Uint32Array(n + 1);
    let total = 0;
    for (let k = 0; k < n; ++k) {
      const i = keep ? keep[k] : k;
      total += this.offsets[i + 1] - this.offsets[i];
      offsets[k + 1] = total;
    }
    const bytes = new Uint8Array(total);
    for (let k = 0; k < n; ++k) {
      const i = keep ? keep[k] : k;
      bytes.set(this.bytes.subarray(this.offsets[i], this.offsets[i + 1]), offsets[k]);
    }
    return { encoding: this.encoding, bytes, offsets };
  }
}

/**
 * An open-addressing hash index from id bytes to the row that holds them, for finding
 * duplicate ids among millions of rows without a JavaScript string per row.
 */
export class IdIndex {
  private table: Int32Array;
  private mask: number;
  private size = 0;
  constructor(private readonly ids: IdBuilder, capacity = 1 << 16) {
    let cap = 1;
    while (cap < capacity * 2) cap <<= 1;
    this.table = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }
  private hash(bytes: Uint8Array): number {
    let h = 0x811c9dc5;
    for (let k = 0; k < bytes.length; ++k) h = Math.imul(h ^ bytes[k], 0x01000193);
    return h >>> 0;
  }
  private equal(a: Uint8Array, b: Uint8Array): boolean {
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; ++k) if (a[k] !== b[k]) return false;
    return true;
  }
  /** Looks up row `row`'s id; returns the earlier row with the same id, or -1 after recording this row. */
  claim(row: number): number {
    const key = this.ids.slice(row);
    let slot = this.hash(key) & this.mask;
    for (;;) {
      const other = this.table[slot];
      if (other < 0) break;
      if (this.equal(this.ids.slice(other), key)) return other;
      slot = (slot + 1) & this.mask;
    }
    this.table[slot] = row;
    if (++this.size * 2 > this.table.length) this.rehash();
    return -1;
  }
  /** Points the id now held by `from` at `to` instead (when a later duplicate replaces an earlier one). */
  replace(from: number, to: number): void {
    const key = this.ids.slice(from);
    let slot = this.hash(key) & this.mask;
    while (this.table[slot] !== from) slot = (slot + 1) & this.mask;
    this.table[slot] = to;
  }
  private rehash(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2).fill(-1);
    this.mask = this.table.length - 1;
    for (let s = 0; s < old.length; ++s) {
      const row = old[s];
      if (row < 0) continue;
      let slot = this.hash(this.ids.slice(row)) & this.mask;
      while (this.table[slot] >= 0) slot = (slot + 1) & this.mask;
      this.table[slot] = row;
    }
  }
}
