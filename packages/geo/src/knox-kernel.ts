/**
 * The inner loops of {@link knoxTest} for whole-day times. {@link bandCountsSimd} (below) counts
 * eight arrangements of the times a pass in WebAssembly SIMD lanes and is used when it applies;
 * {@link gapHistogram} is the one-arrangement loop used otherwise.
 *
 * gapHistogram: a histogram of the signed day gaps of
 * the close pairs, per distance band, for one arrangement of the times. A WebAssembly kernel
 * (assembled below from its opcodes, 150 bytes, no build step) when the runtime allows it, and
 * the same loop in JavaScript otherwise: in V8 the JavaScript loop re-checks each typed array
 * on every access and runs 2–3× slower than the WebAssembly one. Both give the same counts.
 *
 * Browser note: pages with a Content-Security-Policy that forbids WebAssembly compilation
 * (no `'wasm-unsafe-eval'`) get the JavaScript loop; nothing else changes.
 * @internal
 */

/** Storage for one knoxTest run: Int32 views (in WebAssembly memory when the kernel is there). */
export interface GapHistogram {
  /** Times in whole days from the earliest, by position (the caller shuffles these in place). */
  readonly days: Int32Array;
  /** `hist[d * (2 * width − 1) + (width − 1) + gap]`: close pairs in distance band d with signed gap tᵢ − tⱼ = gap. */
  readonly hist: Int32Array;
  /** Clears `hist` and counts the current arrangement of `days` into it. */
  count(): void;
  /** `"wasm"` or `"js"`: which loop runs (for benchmarks and tests). */
  readonly engine: "wasm" | "js";
}

/** Most bytes of WebAssembly memory we ask for (wasm32 addresses; larger runs use the JavaScript loop). */
const MAX_WASM_BYTES = 2 ** 31 - 2 ** 16;

/**
 * Storage and counting loop for `n` events with pairs in CSR form (`offsets` of length
 * n × nd + 1, `partners`), and day gaps in `(−width, width)`.
 * @param forceJs use the JavaScript loop (tests compare the two)
 */
export function gapHistogram(
  offsets: Int32Array,
  partners: Int32Array,
  n: number,
  nd: number,
  width: number,
  forceJs = false,
): GapHistogram {
  const w2 = 2 * width - 1;
  const words = n + offsets.length + partners.length + nd * w2;
  const mod = forceJs || words * 4 > MAX_WASM_BYTES ? null : wasmModule();
  if (mod !== null) {
    try {
      const instance = new WebAssembly.Instance(mod);
      const memory = instance.exports.memory as WebAssembly.Memory;
      const need = Math.ceil((words * 4) / 65536);
      const have = memory.buffer.byteLength / 65536;
      if (need > have) memory.grow(need - have);
      const { buffer } = memory;
      let at = 0;
      const view = (len: number): Int32Array => {
        const v = new Int32Array(buffer, at, len);
        at += len * 4;
        return v;
      };
      const days = view(n);
      const offs = view(offsets.length);
      const parts = view(partners.length);
      const hist = view(nd * w2);
      offs.set(offsets);
      parts.set(partners);
      const run = instance.exports.count as (...args: number[]) => void;
      const args = [n, nd, w2 * 4, days.byteOffset, offs.byteOffset, parts.byteOffset, hist.byteOffset, width - 1];
      return {
        days,
        hist,
        engine: "wasm",
        count() {
          hist.fill(0);
          run(...args);
        },
      };
    } catch {
      // Out of memory or instantiation refused: fall through to JavaScript.
    }
  }
  const days = new Int32Array(n);
  const hist = new Int32Array(nd * w2);
  return {
    days,
    hist,
    engine: "js",
    count() {
      hist.fill(0);
      countGapsJs(days, offsets, partners, hist, n, nd, w2, width - 1);
    },
  };
}

/** The kernel in JavaScript (what the WebAssembly function computes, line for line). */
function countGapsJs(days: Int32Array, offsets: Int32Array, partners: Int32Array, hist: Int32Array, n: number, nd: number, w2: number, wm1: number): void {
  let k = 0;
  let o = 0;
  for (let a = 0; a < n; ++a) {
    let base = days[a] + wm1;
    for (let d = 0; d < nd; ++d, base += w2) {
      const end = offsets[++o];
      for (; k < end; ++k) hist[base - days[partners[k]]] += 1;
    }
  }
}

let cached: WebAssembly.Module | null | undefined;

/** The compiled kernel, or `null` where WebAssembly is missing or refused. */
function wasmModule(): WebAssembly.Module | null {
  if (cached === undefined) {
    try {
      cached = typeof WebAssembly === "object" ? new WebAssembly.Module(kernelBytes()) : null;
    } catch {
      cached = null;
    }
  }
  return cached;
}

/**
 * The module, equivalent to this text format:
 *
 * ```wat
 * (module
 *   (memory (export "memory") 1)
 *   (func (export "count") (param $n i32) (param $nd i32) (param $w2b i32) (param $days i32)
 *         (param $offs i32) (param $parts i32) (param $hist i32) (param $wm1 i32)
 *     (local $a i32) (local $d i32) (local $k i32) (local $end i32) (local $base i32) (local $o i32) (local $i i32)
 *     (local.set $k (local.get $parts))
 *     (local.set $o (local.get $offs))
 *     (loop $A                                           ;; each event a (n ≥ 1)
 *       ;; base = hist + 4 × (days[a] + wm1)
 *       (local.set $base (i32.add (local.get $hist) (i32.shl (i32.add (i32.load (i32.add (local.get $days)
 *         (i32.shl (local.get $a) (i32.const 2)))) (local.get $wm1)) (i32.const 2))))
 *       (local.set $d (i32.const 0))
 *       (loop $D                                         ;; each distance band d (nd ≥ 1)
 *         ;; end = parts + 4 × offsets[a × nd + d + 1]
 *         (local.set $end (i32.add (i32.shl (i32.load (local.tee $o (i32.add (local.get $o) (i32.const 4))))
 *           (i32.const 2)) (local.get $parts)))
 *         (block $skip
 *           (br_if $skip (i32.ge_u (local.get $k) (local.get $end)))
 *           (loop $K                                     ;; each partner j: ++hist[base − days[j]]
 *             (i32.store (local.tee $i (i32.sub (local.get $base) (i32.shl (i32.load (i32.add (local.get $days)
 *               (i32.shl (i32.load (local.get $k)) (i32.const 2)))) (i32.const 2))))
 *               (i32.add (i32.load (local.get $i)) (i32.const 1)))
 *             (br_if $K (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 4))) (local.get $end)))))
 *         (local.set $base (i32.add (local.get $base) (local.get $w2b)))
 *         (br_if $D (i32.lt_u (local.tee $d (i32.add (local.get $d) (i32.const 1))) (local.get $nd))))
 *       (br_if $A (i32.lt_u (local.tee $a (i32.add (local.get $a) (i32.const 1))) (local.get $n))))))
 * ```
 */
function kernelBytes(): Uint8Array<ArrayBuffer> {
  // Opcodes (WebAssembly core spec, binary format).
  const I32 = 0x7f, GET = 0x20, SET = 0x21, TEE = 0x22, LOAD = [0x28, 2, 0], STORE = [0x36, 2, 0];
  const CONST = 0x41, ADD = 0x6a, SUB = 0x6b, SHL = 0x74, LT_U = 0x49, GE_U = 0x4f;
  const BLOCK = [0x02, 0x40], LOOP = [0x03, 0x40], BR_IF = 0x0d, END = 0x0b;
  // Locals: params 0–7, then 8–14.
  const [n, nd, w2b, days, offs, parts, hist, wm1] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [a, d, k, end, base, o, i] = [8, 9, 10, 11, 12, 13, 14];
  const times4 = [CONST, 2, SHL];
  const code = [
    1, 7, I32, // 7 locals of type i32
    GET, parts, SET, k,
    GET, offs, SET, o,
    ...LOOP,
    GET, hist, GET, days, GET, a, ...times4, ADD, ...LOAD, GET, wm1, ADD, ...times4, ADD, SET, base,
    CONST, 0, SET, d,
    ...LOOP,
    GET, o, CONST, 4, ADD, TEE, o, ...LOAD, ...times4, GET, parts, ADD, SET, end,
    ...BLOCK,
    GET, k, GET, end, GE_U, BR_IF, 0,
    ...LOOP,
    GET, base, GET, days, GET, k, ...LOAD, ...times4, ADD, ...LOAD, ...times4, SUB, TEE, i,
    GET, i, ...LOAD, CONST, 1, ADD, ...STORE,
    GET, k, CONST, 4, ADD, TEE, k, GET, end, LT_U, BR_IF, 0,
    END,
    END,
    GET, base, GET, w2b, ADD, SET, base,
    GET, d, CONST, 1, ADD, TEE, d, GET, nd, LT_U, BR_IF, 0,
    END,
    GET, a, CONST, 1, ADD, TEE, a, GET, n, LT_U, BR_IF, 0,
    END,
    END,
  ];
  const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
  const name = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const body = [...uleb(code.length), ...code];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [1, 0x60, 8, I32, I32, I32, I32, I32, I32, I32, I32, 0]), // type 0: (8 × i32) → ()
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x00, 1]), // one memory, at least 1 page
    ...section(7, [2, ...name("count"), 0x00, 0, ...name("memory"), 0x02, 0]), // exports
    ...section(10, [1, ...body]), // code
  ]);
}

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

// ---------------------------------------------------------------------------------------
// Eight permutations a pass: WebAssembly SIMD.

/** Permutations counted in one pass over the close pairs (the i16 lanes of a v128). */
export const LANES = 8;

/** Storage and loop for {@link bandCountsSimd}. */
export interface BandCountsSimd {
  /** `times[k * 8 + p]`: the day (0 … 32,766) of the event at position k in permutation lane p (the caller fills these). */
  readonly times: Uint16Array;
  /**
   * After {@link count}: `out[(d * limits.length + m) * 8 + p]` = the close pairs in distance
   * band d whose day gap |tᵢ − tⱼ| in lane p is below `limits[m]`.
   */
  readonly out: Int32Array;
  /** Clears `out` and counts the eight arrangements in `times` into it. */
  count(): void;
}

/**
 * The close pairs' day gaps counted for eight arrangements of the times at once: per pair, one
 * 16-byte load brings the partner's day in all eight lanes, then `i16x8.sub`, `i16x8.abs`, and
 * per limit one `i16x8.lt_s` whose −1/0 mask is subtracted from a lane counter. No histogram,
 * no gather per lane, no read-modify-write of memory: the counters live in registers and are
 * added to `out` at the end of each event's distance band (or every 65,535 pairs, before the
 * 16-bit lanes could wrap). `null` where WebAssembly SIMD is missing or refused, or the data do
 * not fit in 2 GiB of WebAssembly memory.
 * @param limits integer gap limits, each 1 … 32,767, at most 12 (the counters are registers)
 */
export function bandCountsSimd(offsets: Int32Array, partners: Int32Array, n: number, nd: number, limits: readonly number[]): BandCountsSimd | null {
  const M = limits.length;
  if (M < 1 || M > 12 || n < 1) return null;
  const words = n * (LANES / 2) + offsets.length + partners.length + nd * M * LANES;
  if (words * 4 > MAX_WASM_BYTES) return null;
  const key = limits.join(",");
  let mod = simdModules.get(key);
  if (mod === undefined) {
    try {
      mod = typeof WebAssembly === "object" ? new WebAssembly.Module(simdKernelBytes(limits)) : null;
    } catch {
      mod = null;
    }
    if (simdModules.size > 32) simdModules.clear();
    simdModules.set(key, mod);
  }
  if (mod === null) return null;
  try {
    const instance = new WebAssembly.Instance(mod);
    const memory = instance.exports.memory as WebAssembly.Memory;
    const need = Math.ceil((words * 4) / 65536);
    const have = memory.buffer.byteLength / 65536;
    if (need > have) memory.grow(need - have);
    const { buffer } = memory;
    const times = new Uint16Array(buffer, 0, n * LANES); // 16-byte aligned rows
    let at = n * LANES * 2;
    const offs = new Int32Array(buffer, at, offsets.length);
    at += offsets.length * 4;
    const parts = new Int32Array(buffer, at, partners.length);
    at += partners.length * 4;
    const out = new Int32Array(buffer, at, nd * M * LANES);
    offs.set(offsets);
    parts.set(partners);
    const run = instance.exports.count as (...args: number[]) => void;
    const args = [n, nd, times.byteOffset, offs.byteOffset, parts.byteOffset, out.byteOffset];
    return {
      times,
      out,
      count() {
        out.fill(0);
        run(...args);
      },
    };
  } catch {
    return null; // out of memory or instantiation refused
  }
}

const simdModules = new Map<string, WebAssembly.Module | null>();

/**
 * The SIMD module for these limits (baked in as constants), equivalent to this text format
 * (M = limits.length; `$L_m` = i16x8.splat(limits[m]); `$acc_m` are v128 locals):
 *
 * ```wat
 * (func (export "count") (param $n i32) (param $nd i32) (param $times i32) (param $offs i32)
 *       (param $parts i32) (param $out i32)
 *   (local $a i32) (local $d i32) (local $k i32) (local $end i32) (local $cend i32) (local $o i32)
 *   (local $dOut i32) (local $ta v128) (local $g v128) (local $L_0 v128) … (local $acc_0 v128) …
 *   ;; $L_m = i16x8.splat(limits[m]); $k = $parts; $o = $offs
 *   (loop $A                                               ;; each event a
 *     (local.set $ta (v128.load (i32.add (local.get $times) (i32.shl (local.get $a) (i32.const 4)))))
 *     (local.set $dOut (local.get $out)) (local.set $d (i32.const 0))
 *     (loop $D                                             ;; each distance band d
 *       (local.set $end (i32.add (i32.shl (i32.load (local.tee $o (i32.add (local.get $o) (i32.const 4))))
 *         (i32.const 2)) (local.get $parts)))
 *       (block $skip (br_if $skip (i32.ge_u (local.get $k) (local.get $end)))
 *         (loop $C                                         ;; chunks of ≤ 65,535 pairs
 *           (local.set $cend (select (i32.add (local.get $k) (i32.const 262140)) (local.get $end)
 *             (i32.gt_u (i32.sub (local.get $end) (local.get $k)) (i32.const 262140))))
 *           ;; $acc_m = 0
 *           (loop $K                                       ;; each partner j
 *             (local.set $g (i16x8.abs (i16x8.sub (local.get $ta) (v128.load (i32.add (local.get $times)
 *               (i32.shl (i32.load (local.get $k)) (i32.const 4)))))))
 *             ;; $acc_m = i16x8.sub($acc_m, i16x8.lt_s($g, $L_m)) for each m
 *             (br_if $K (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 4))) (local.get $cend))))
 *           ;; out[dOut + 32m …] += i32x4.extend_{low,high}_i16x8_u($acc_m) for each m
 *           (br_if $C (i32.lt_u (local.get $k) (local.get $end)))))
 *       (local.set $dOut (i32.add (local.get $dOut) (i32.const 32M)))
 *       (br_if $D (i32.lt_u (local.tee $d (i32.add (local.get $d) (i32.const 1))) (local.get $nd))))
 *     (br_if $A (i32.lt_u (local.tee $a (i32.add (local.get $a) (i32.const 1))) (local.get $n)))))
 * ```
 */
function simdKernelBytes(limits: readonly number[]): Uint8Array<ArrayBuffer> {
  const M = limits.length;
  const I32 = 0x7f, V128 = 0x7b, GET = 0x20, SET = 0x21, TEE = 0x22, LOAD = [0x28, 2, 0];
  const CONST = 0x41, ADD = 0x6a, SUB = 0x6b, SHL = 0x74, LT_U = 0x49, GE_U = 0x4f, GT_U = 0x4b, SELECT = 0x1b;
  const BLOCK = [0x02, 0x40], LOOP = [0x03, 0x40], BR_IF = 0x0d, END = 0x0b;
  const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
  const V_LOAD = (offset = 0) => simd(0x00, 4, ...uleb(offset));
  const V_STORE = (offset = 0) => simd(0x0b, 4, ...uleb(offset));
  const V_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));
  const I16_SPLAT = simd(16), I16_LT_S = simd(47), I16_ABS = simd(128), I16_SUB = simd(145);
  const I32_ADD = simd(174), EXT_LO_U = simd(169), EXT_HI_U = simd(170);
  const [n, nd, times, offs, parts, out] = [0, 1, 2, 3, 4, 5];
  const [a, d, k, end, cend, o, dOut] = [6, 7, 8, 9, 10, 11, 12];
  const ta = 13, g = 14, L = 15, acc = 15 + M;
  const CHUNK = 65535 * 4;
  const code: number[] = [2, 7, I32, 2 + 2 * M, V128];
  for (let m = 0; m < M; ++m) code.push(CONST, ...sleb(limits[m]), ...I16_SPLAT, SET, L + m);
  code.push(GET, parts, SET, k, GET, offs, SET, o);
  code.push(...LOOP);
  code.push(GET, times, GET, a, CONST, 4, SHL, ADD, ...V_LOAD(), SET, ta);
  code.push(GET, out, SET, dOut, CONST, 0, SET, d);
  code.push(...LOOP);
  code.push(GET, o, CONST, 4, ADD, TEE, o, ...LOAD, CONST, 2, SHL, GET, parts, ADD, SET, end);
  code.push(...BLOCK, GET, k, GET, end, GE_U, BR_IF, 0);
  code.push(...LOOP);
  code.push(GET, k, CONST, ...sleb(CHUNK), ADD, GET, end, GET, end, GET, k, SUB, CONST, ...sleb(CHUNK), GT_U, SELECT, SET, cend);
  for (let m = 0; m < M; ++m) code.push(...V_ZERO, SET, acc + m);
  code.push(...LOOP);
  code.push(GET, ta, GET, times, GET, k, ...LOAD, CONST, 4, SHL, ADD, ...V_LOAD(), ...I16_SUB, ...I16_ABS, SET, g);
  for (let m = 0; m < M; ++m) code.push(GET, acc + m, GET, g, GET, L + m, ...I16_LT_S, ...I16_SUB, SET, acc + m);
  code.push(GET, k, CONST, 4, ADD, TEE, k, GET, cend, LT_U, BR_IF, 0);
  code.push(END);
  for (let m = 0; m < M; ++m) {
    code.push(GET, dOut, GET, dOut, ...V_LOAD(32 * m), GET, acc + m, ...EXT_LO_U, ...I32_ADD, ...V_STORE(32 * m));
    code.push(GET, dOut, GET, dOut, ...V_LOAD(32 * m + 16), GET, acc + m, ...EXT_HI_U, ...I32_ADD, ...V_STORE(32 * m + 16));
  }
  code.push(GET, k, GET, end, LT_U, BR_IF, 0);
  code.push(END, END);
  code.push(GET, dOut, CONST, ...sleb(32 * M), ADD, SET, dOut);
  code.push(GET, d, CONST, 1, ADD, TEE, d, GET, nd, LT_U, BR_IF, 0);
  code.push(END);
  code.push(GET, a, CONST, 1, ADD, TEE, a, GET, n, LT_U, BR_IF, 0);
  code.push(END, END);
  const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
  const name = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]), // type 0: (6 × i32) → ()
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name("count"), 0x00, 0, ...name("memory"), 0x02, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

/** Signed LEB128 (i32.const immediates). */
function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
