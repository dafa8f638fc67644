/**
 * A UK outward code (the postcode district, `LE11`) optionally followed by an inward code
 * (`3AB`, with or without the space). Outward: one or two letters, a digit, then an optional
 * letter or digit (`B1`, `W1A`, `LE11`, `EC1A`), or `GIR` (Girobank). The shape only: it
 * does not check that the district exists.
 */
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?|GIR)(?: ?[0-9][A-Z]{2})?$/;

/**
 * Returns the postcode district (outward code) of a UK outward code or full postcode, upper
 * case: `"le11"` → `"LE11"`, `"LE11 3AB"` and `"LE113AB"` → `"LE11"`, `"LE1 1AB"` → `"LE1"`.
 * Spaces around the text are ignored and runs of spaces inside it read as one. Returns `null`
 * for anything else (a postcode sector `"LE11 3"`, a town name, digits alone): callers reject
 * such values rather than guess.
 * Shape only (the pattern of the Royal Mail's postcode format); whether the district exists
 * is not checked.
 *
 * @example
 * postcodeDistrict("le11 3ab") // => "LE11"
 * postcodeDistrict("Loughborough") // => null
 */
export function postcodeDistrict(text: string): string | null {
  if (typeof text !== "string" || text.length > 32) return null;
  const m = POSTCODE.exec(text.trim().replace(/\s+/g, " ").toUpperCase());
  return m === null ? null : m[1];
}
