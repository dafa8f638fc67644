/**
 * A column of identifiers stored as bytes with offsets (no per-row string objects).
 * When every non-empty id is an even-length lowercase hexadecimal string
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

/** Per character code: -1 when not a hex digit, else the digit's value plus 16 for a-f, 32 for A-F. */
const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let c = 48; c <= 57; ++c) HEX_DIGIT[c] = c - 48;
for (let c = 97; c <= 102; ++c) HEX_DIGIT[c] = c - 87 + 16;
for (let c = 65; c <= 70; ++c) HEX_DIGIT[c] = c - 55 + 32;

/**
 * Per pair of character codes below 128, `(c1 << 7) | c2`: the byte they spell as two hex
 * digits, plus 256 if either is a-f and 512 if either is A-F; -1 when either is not a digit.
 */
const HEX_PAIR = new Int16Array(1 << 14).fill(-1);
for (let c1 = 0; c1 < 128; ++c1) {
  for (let c2 = 0; c2 < 128; ++c2) {
    const v1 = HEX_DIGIT[c1];
    const v2 = HEX_DIGIT[c2];
    if (v1 >= 0 && v2 >= 0) HEX_PAIR[(c1 << 7) | c2] = (((v1 & 15) << 4) | (v2 & 15)) | (((v1 | v2) & 48) << 4);
  }
}

function hexValue(c: number): number {
  const v = c < 128 ? HEX_DIGIT[c] : -1;
  return v < 0 ? -1 : v & 15;
}

function isPackableHex(s: string): boolean {
  if (s.length & 1) return false;
  let cases = 0;
  for (let i = 0; i < s.length; ++i) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? HEX_DIGIT[c] : -1;
    if (v < 0) return false;
    cases |= v;
  }
  // Packing loses case: only lowercase hex is packed, so every id reads back exactly.
  return (cases & 32) === 0;
}

/** Returns the id at row `i`, or `null` for an empty id, exactly as it was written. */
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

  /**
   * Appends `text.slice(a, b)` as row `row`, as {@link IdBuilder.set} does, without making
   * the string when it packs as hex.
   * @internal
   */
  setText(row: number, text: string, a: number, b: number): void {
    if (row < this.length) throw new RangeError(`IdBuilder: row ${row} was already written`);
    while (this.length < row) this.push("");
    if (this.encoding !== "hex" || !this.packHex(text, a, b)) this.push(text.slice(a, b));
  }

  /**
   * Writes `text[a..b)` as the next row, packed two hex digits per byte, when it is
   * packable (even length, digits and lowercase a–f); returns false (writing nothing) if not.
   */
  private packHex(text: string, a: number, b: number): boolean {
    const len = b - a;
    if (len & 1) return false;
    if (this.length + 2 > this.offsets.length) this.growOffsets();
    const need = len >> 1;
    this.reserve(need);
    const bytes = this.bytes;
    const at = this.used;
    let cases = 0;
    for (let k = 0, t = a; k < need; ++k, t += 2) {
      const c1 = text.charCodeAt(t);
      const c2 = text.charCodeAt(t + 1);
      const v = (c1 | c2) < 128 ? HEX_PAIR[(c1 << 7) | c2] : -1;
      if (v < 0) return false;
      cases |= v;
      bytes[at + k] = v; // the low 8 bits
    }
    cases >>= 4;
    if (cases & 32) return false; // an uppercase letter: store as UTF-8 so it reads back unchanged
    this.used += need;
    this.length += 1;
    this.offsets[this.length] = this.used;
    return true;
  }

  private growOffsets(): void {
    const next = new Uint32Array(this.offsets.length * 2);
    next.set(this.offsets);
    this.offsets = next;
  }

  private push(value: string): void {
    if (this.length + 2 > this.offsets.length) this.growOffsets();
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

  /**
   * Exact-size column of the kept rows (all rows when `keep` is omitted). With `inPlace` (for a
   * builder that is then let go; `keep`, if given, strictly increasing) the kept ids are moved to
   * the front of the builder's own arrays and the column is a view of them: nothing is copied.
   */
  finish(length: number, keep?: ArrayLike<number>, options: { inPlace?: boolean } = {}): IdColumn {
    while (this.length < length) this.push("");
    const n = keep ? keep.length : length;
    const { bytes, offsets } = options.inPlace ? pickIdsInPlace(this.bytes, this.offsets, keep ?? null, n) : pickIds(this.bytes, this.offsets, keep ?? null, n);
    return { encoding: this.encoding, bytes, offsets };
  }
}

/**
 * {@link pickIds} within `bytes` and `offsets` themselves (`keep` strictly increasing, so each
 * row's bytes and offset only move forward), returning views of their fronts.
 */
function pickIdsInPlace(bytes: Uint8Array, offsets: Uint32Array, keep: ArrayLike<number> | null, n: number): { bytes: Uint8Array; offsets: Uint32Array } {
  if (keep) {
    // Runs of consecutive rows move as one block, forward: every offset read (row i >= k) still
    // holds its original value.
    let total = 0; // new start of row k
    for (let k = 0; k < n; ) {
      const i = keep[k];
      let m = k + 1;
      while (m < n && keep[m] === i + (m - k)) ++m;
      const a = offsets[i];
      const delta = total - a;
      offsets[k] = total;
      for (let j = 1; j < m - k; ++j) offsets[k + j] = offsets[i + j] + delta;
      const b = offsets[i + (m - k)];
      if (delta !== 0) bytes.copyWithin(total, a, b);
      total += b - a;
      k = m;
    }
    offsets[n] = total;
  }
  return { bytes: bytes.subarray(0, offsets[n]), offsets: offsets.subarray(0, n + 1) };
}

/**
 * The ids of rows `keep[0..n)` (rows `0..n)` when `keep` is null), packed anew: their bytes and
 * offsets (`offsets[k]..offsets[k + 1]` are row k's bytes). Runs of consecutive rows are copied
 * in one go (most selections keep long runs); short ids (police.uk's are 32 bytes packed) by a
 * plain loop, since a subarray per row costs more than its bytes.
 * @internal
 */
export function pickIds(src: Uint8Array, from: ArrayLike<number>, keep: ArrayLike<number> | null, n: number): { bytes: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(n + 1);
  let total = 0;
  for (let k = 0; k < n; ++k) {
    const i = keep ? keep[k] : k;
    total += from[i + 1] - from[i];
    offsets[k + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let k = 0; k < n; ) {
    const i = keep ? keep[k] : k;
    let m = k + 1;
    while (m < n && (keep ? keep[m] : m) === i + (m - k)) ++m;
    const a = from[i];
    const b = from[i + (m - k)];
    if (b - a > 64) bytes.set(src.subarray(a, b), offsets[k]);
    else for (let t = a, o = offsets[k]; t < b; ++t, ++o) bytes[o] = src[t];
    k = m;
  }
  return { bytes, offsets };
}

/**
 * An open-addressing hash index from id bytes to the row that holds them, for finding
 * duplicate ids among millions of rows without a JavaScript string per row.
 */
export class IdIndex {
  private slots: Int32Array; // per slot: row (-1 = empty), then the hash of that row's id
  private mask: number;
  private size = 0;
  private encoding: "hex" | "utf8";
  constructor(private readonly ids: IdBuilder, capacity = 1 << 16) {
    let cap = 1;
    while (cap < capacity * 2) cap <<= 1;
    this.slots = IdIndex.empty(cap);
    this.mask = cap - 1;
    this.encoding = ids.encoding;
  }
  private static empty(cap: number): Int32Array {
    const t = new Int32Array(cap * 2);
    for (let s = 0; s < t.length; s += 2) t[s] = -1;
    return t;
  }
  private hash(row: number): number {
    return idHash(this.ids.bytes, this.ids.offsets[row], this.ids.offsets[row + 1]);
  }
  private equal(p: number, q: number): boolean {
    const bytes = this.ids.bytes;
    const offsets = this.ids.offsets;
    const a = offsets[p];
    const len = offsets[p + 1] - a;
    const b = offsets[q];
    if (offsets[q + 1] - b !== len) return false;
    for (let k = 0; k < len; ++k) if (bytes[a + k] !== bytes[b + k]) return false;
    return true;
  }
  /** Looks up row `row`'s id; returns the earlier row with the same id, or -1 after recording this row. */
  claim(row: number): number {
    if (this.ids.encoding !== this.encoding) this.rebuild();
    const h = this.hash(row);
    const slots = this.slots;
    const mask = this.mask;
    let s = h & mask;
    for (;;) {
      const other = slots[2 * s];
      if (other < 0) break;
      if (slots[2 * s + 1] === h && this.equal(other, row)) return other;
      s = (s + 1) & mask;
    }
    slots[2 * s] = row;
    slots[2 * s + 1] = h;
    if (++this.size * 2 > mask + 1) this.rehash();
    return -1;
  }
  /** Points the id now held by `from` at `to` instead (when a later duplicate replaces an earlier one). */
  replace(from: number, to: number): void {
    if (this.ids.encoding !== this.encoding) this.rebuild();
    const slots = this.slots;
    let s = this.hash(from) & this.mask;
    while (slots[2 * s] !== from) s = (s + 1) & this.mask;
    slots[2 * s] = to;
  }
  /** Re-hashes every row after the builder re-encoded its ids (hex → UTF-8 changes every row's bytes). */
  private rebuild(): void {
    this.encoding = this.ids.encoding;
    const old = this.slots;
    const slots = IdIndex.empty(old.length >> 1);
    const mask = this.mask;
    for (let o = 0; o < old.length; o += 2) {
      const row = old[o];
      if (row < 0) continue;
      const h = this.hash(row);
      let s = h & mask;
      while (slots[2 * s] >= 0) s = (s + 1) & mask;
      slots[2 * s] = row;
      slots[2 * s + 1] = h;
    }
    this.slots = slots;
  }
  private rehash(): void {
    const old = this.slots;
    const slots = IdIndex.empty(old.length); // twice the slots
    const mask = old.length - 1;
    for (let o = 0; o < old.length; o += 2) {
      const row = old[o];
      if (row < 0) continue;
      const h = old[o + 1];
      let s = h & mask;
      while (slots[2 * s] >= 0) s = (s + 1) & mask;
      slots[2 * s] = row;
      slots[2 * s + 1] = h;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** MurmurHash3 (x86, 32-bit) of `bytes[a..b)`, four bytes per word (FNV offset basis as seed). */
export function idHash(bytes: Uint8Array, a: number, b: number): number {
  let h = 0x811c9dc5;
  let k = a;
  for (; k + 3 < b; k += 4) {
    let w = Math.imul(bytes[k] | (bytes[k + 1] << 8) | (bytes[k + 2] << 16) | (bytes[k + 3] << 24), 0xcc9e2d51);
    w = Math.imul((w << 15) | (w >>> 17), 0x1b873593);
    h ^= w;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  let w = 0;
  for (let t = 0; k < b; ++k, t += 8) w |= bytes[k] << t;
  w = Math.imul(w, 0xcc9e2d51);
  h ^= Math.imul((w << 15) | (w >>> 17), 0x1b873593);
  h ^= b - a;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
