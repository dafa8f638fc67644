/**
 * The inner loop of {@link knoxTest} for whole-day times: a histogram of the signed day gaps of
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
