import type { DisclosureSpec } from "../report/public-rows.js";

/** A table the report also writes as CSV (or, with `text`, any other file such as GeoJSON). */
export interface OutputFile {
  name: string;
  rows: readonly Record<string, unknown>[];
  columns?: readonly string[];
  /** Written as it is instead of CSV (e.g. GeoJSON). */
  text?: string;
  /**
   * How the file is protected for publication: the spec of its count, dimension and derived
   * columns (for GeoJSON, of its features' properties), or "not-disclosive" with the reason.
   * Required: `assess --public` refuses to write a file without one, or one whose columns the
   * spec does not name or whose counts are not protected.
   */
  disclosure: DisclosureSpec;
}

/**
 * A word from user input (such as `--areas-label`) made fit for an output file name: every run
 * of characters other than A–Z, a–z and 0–9 (path separators, dots, spaces) as one "-", none at
 * either end, at most 60 characters; `fallback` when nothing is left. `"ward"` → `"ward"`,
 * `"../../evil"` → `"evil"`, `"Police beat"` → `"Police-beat"`.
 */
export function fileNameWord(text: string, fallback = "area"): string {
  return text.replace(/[^A-Za-z0-9]+/g, "-").slice(0, 60).replace(/^-+|-+$/g, "") || fallback;
}
