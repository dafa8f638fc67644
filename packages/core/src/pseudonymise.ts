import { InputError, invalidOption } from "./errors.js";
import { DICT_COLUMNS, type DictColumnName, type IncidentTable } from "./incident-table.js";

/**
 * A Web Crypto key (the browser's and Node's `CryptoKey`), typed by its shape so the published
 * types need neither the DOM library nor Node's: any `CryptoKey` is one.
 */
export interface WebCryptoKey {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: object;
  readonly usages: readonly string[];
}

/** Options for {@link pseudonymise}. */
export interface PseudonymiseOptions {
  /** The secret key (a string, its UTF-8 bytes, or a Web Crypto HMAC key). Required; keep it out of the shared data. */
  key: string | Uint8Array | WebCryptoKey;
  /** Dictionary columns whose values are replaced. Default `["victim", "place"]`. */
  columns?: readonly DictColumnName[];
  /** Hex digits kept of each HMAC (64 = the whole SHA-256). Default 32 (128 bits: no collisions in practice). */
  length?: number;
}

/** Result of {@link pseudonymise}. */
export interface PseudonymiseResult {
  /** A copy of the table (other columns shared) with the columns' values replaced by pseudonyms. */
  readonly table: IncidentTable;
  /** Distinct values replaced, per column. */
  readonly replaced: Record<string, number>;
}

const FN = "pseudonymise";

/**
 * Replaces the values of key columns (victim, place) by keyed pseudonyms — HMAC-SHA-256 of the
 * value under a secret key, in hex — so partners can share repeat-victimisation inputs without
 * the keys themselves: the same victim gets the same pseudonym under the same key (repeats are
 * still repeats), no one without the key can reverse it or test a guess, and a different key
 * gives unlinkable pseudonyms. Uses Web Crypto (`crypto.subtle`), so it runs in Node and in the
 * browser alike. Missing values stay missing.
 *
 * @example
 * const { table: shared } = await pseudonymise(table, { key: secret });
 * repeatVictimisation(shared, { key: "victim" }).prevalence === repeatVictimisation(table, { key: "victim" }).prevalence // => true
 * @throws InputError `invalid-option` for a missing key, an unknown column or a bad length;
 *   `invalid-input` when Web Crypto is not available.
 */
export async function pseudonymise(table: IncidentTable, options: PseudonymiseOptions): Promise<PseudonymiseResult> {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object with a key", options);
  const columns: readonly DictColumnName[] = options.columns ?? ["victim", "place"];
  if (!Array.isArray(columns as unknown) || columns.some((c) => !(DICT_COLUMNS as readonly string[]).includes(c))) invalidOption(FN, "columns", `dictionary columns (${DICT_COLUMNS.join(", ")})`, columns);
  const length = options.length ?? 32;
  if (!(Number.isInteger(length) && length >= 16 && length <= 64)) invalidOption(FN, "length", "an integer from 16 to 64 (hex digits)", length);
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new InputError("invalid-input", `${FN}: Web Crypto (crypto.subtle) is not available in this environment`);
  const key = await hmacKey(subtle, options.key);
  const encoder = new TextEncoder();
  const replaced: Record<string, number> = {};
  const next: Partial<Record<DictColumnName, IncidentTable[DictColumnName]>> = {};
  for (const name of columns) {
    const col = table[name];
    const values = await Promise.all(col.values.map(async (v) => (v === null ? null : hex(new Uint8Array(await subtle.sign("HMAC", key, encoder.encode(v)))).slice(0, length))));
    replaced[name] = col.values.filter((v) => v !== null).length;
    next[name] = { codes: col.codes, values } as IncidentTable[DictColumnName];
  }
  return { table: { ...table, ...next }, replaced };
}

/**
 * HMAC-SHA-256 of `message` under `key`, in hex (the primitive {@link pseudonymise} uses).
 *
 * @example
 * await hmacSha256Hex("Jefe", "what do ya want for nothing?")
 * // => "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" (RFC 4231, test case 2)
 */
export async function hmacSha256Hex(key: string | Uint8Array | WebCryptoKey, message: string | Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new InputError("invalid-input", "hmacSha256Hex: Web Crypto (crypto.subtle) is not available in this environment");
  const k = await hmacKey(subtle, key);
  const data = typeof message === "string" ? new TextEncoder().encode(message) : Uint8Array.from(message);
  return hex(new Uint8Array(await subtle.sign("HMAC", k, data)));
}

async function hmacKey(subtle: SubtleCrypto, key: string | Uint8Array | WebCryptoKey): Promise<CryptoKey> {
  if (typeof key === "string" || key instanceof Uint8Array) {
    const bytes = typeof key === "string" ? new TextEncoder().encode(key) : Uint8Array.from(key);
    if (bytes.length === 0) invalidOption(FN, "key", "a non-empty secret", key);
    return subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  }
  if (key && typeof key === "object" && (key as WebCryptoKey).type === "secret") return key as unknown as CryptoKey;
  invalidOption(FN, "key", "a secret string, bytes or an HMAC CryptoKey", key);
}

function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}
