/** Relative advance widths (em) of a generic sans-serif (DejaVu Sans, the widest common fallback). */
const NARROW = new Set([..."il.,:;'|!ǀ"]);
const SLIM = new Set([..."fjrtI()[]-/"]);
const WIDE = new Set([..."mwMW@%"]);

/**
 * An upper estimate of the width in pixels of `text` set at `fontSize` px: per-character
 * advances of DejaVu Sans (the widest of the fonts `system-ui, sans-serif` resolves to on
 * Linux; Arial, Helvetica and Segoe UI are narrower), bold 10% wider. Used to keep labels
 * apart without a browser; a little generous on purpose.
 *
 * @example
 * textWidth("Lemyngton", 10) > 40; // => true
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const c of text) {
    if (c === " ") em += 0.32;
    else if (NARROW.has(c)) em += 0.3;
    else if (SLIM.has(c)) em += 0.42;
    else if (WIDE.has(c)) em += 0.94;
    else if (/[0-9]/.test(c)) em += 0.64;
    else if (/[A-Z]/.test(c)) em += 0.74;
    else em += 0.62;
  }
  return em * fontSize * (bold ? 1.1 : 1);
}
