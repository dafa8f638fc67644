/** Significant digits kept for a non-integer number: enough for any measured or derived value, and no binary noise (`13579.029999999999` → `13579.03`). */
export const CSV_SIGNIFICANT_DIGITS = 12;

/** First characters that make a spreadsheet read a text cell as a formula (OWASP's list: = + - @ TAB CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Writes rows of plain objects as RFC 4180 CSV (header from the first row's keys, or `columns`).
 *
 * - Numbers are written as plain decimals (never `1e-7`), integers exactly and other numbers
 *   rounded to {@link CSV_SIGNIFICANT_DIGITS} significant digits with trailing zeros dropped;
 *   a number stays a number (`-3.5` is written `-3.5`). NaN, ±Infinity, null and undefined are
 *   written as an empty cell.
 * - Text is neutralised against formula injection as OWASP recommends (CSV Injection): a text
 *   cell whose first character is `=`, `+`, `-`, `@`, TAB or CR gets a leading `'` and is quoted,
 *   so a spreadsheet shows it as text instead of running it. Header names get the same treatment.
 * - A cell holding `"`, `,`, CR or LF is quoted, with `"` doubled.
 *
 * @example toCsv([{ a: -3.5, b: "=1+1", c: 0.1 + 0.2 }]) // => 'a,b,c\r\n-3.5,"\'=1+1",0.3\r\n'
 */
export function toCsv(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const cols = columns ?? (rows.length ? Object.keys(rows[0]) : []);
  return [cols.map(csvText).join(","), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(","))].join("\r\n") + "\r\n";
}

/** One CSV cell for `v` (see {@link toCsv}). */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? plainDecimal(v) : "";
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "" : v.toISOString();
  return csvText(String(v));
}

function csvText(s: string): string {
  if (FORMULA_START.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * `v` as a plain decimal: integers exactly (`123456789012345680000` for 1.2345678901234568e20),
 * other numbers to {@link CSV_SIGNIFICANT_DIGITS} significant digits without trailing zeros.
 */
export function plainDecimal(v: number): string {
  // Safe integers print exactly as JavaScript writes them (no exponent below 1e21).
  if (Number.isSafeInteger(v)) return v === 0 ? "0" : String(v);
  if (Number.isInteger(v)) return BigInt(v).toString();
  // The common case: the 12-digit rounding read back as a number is written by JavaScript as
  // its shortest round-trip decimal, which is the rounding without trailing zeros (two decimals
  // of at most 12 significant digits cannot be the same double), unless it needs an exponent.
  const shortest = String(Number(v.toPrecision(CSV_SIGNIFICANT_DIGITS)));
  if (!shortest.includes("e")) return shortest;
  const [mantissa, exp] = v.toPrecision(CSV_SIGNIFICANT_DIGITS).split("e");
  const negative = mantissa.startsWith("-");
  const [intPart, fracPart = ""] = (negative ? mantissa.slice(1) : mantissa).split(".");
  // Digits without the point, and where the point goes.
  const digits = intPart + fracPart;
  const point = intPart.length + (exp === undefined ? 0 : Number(exp));
  let whole: string;
  let frac: string;
  if (point <= 0) {
    whole = "0";
    frac = "0".repeat(-point) + digits;
  } else if (point >= digits.length) {
    whole = digits + "0".repeat(point - digits.length);
    frac = "";
  } else {
    whole = digits.slice(0, point);
    frac = digits.slice(point);
  }
  whole = whole.replace(/^0+(?=\d)/, "");
  frac = frac.replace(/0+$/, "");
  const text = frac ? `${whole}.${frac}` : whole;
  return negative && text !== "0" ? `-${text}` : text;
}
