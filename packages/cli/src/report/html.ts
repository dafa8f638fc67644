/** Minimal HTML building for the report: escaping, tables, sections. No DOM needed. */

export function escapeHtml(s: unknown): string {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A column of an HTML table: a header, a value accessor and an optional formatter. */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  format?: (v: unknown, row: T) => string;
  numeric?: boolean;
  /**
   * What the column holds, for disclosure control (`assess --public`): `"count"` (a count of
   * incidents, protected by the rule), `"derived"` (from counts: withheld with them) or
   * `"other"` (not a count of incidents: residents, days, row accounting). Written as
   * `data-kind` on its cells when the table is marked (see {@link htmlTable}).
   */
  kind?: "count" | "derived" | "other";
  /** A link for the cell's text (a relative address such as "charnwood/report.html"); escaped like the text. */
  href?: (row: T) => string | null;
}

/** `s` with its first letter in capitals, for a name that starts a sentence or a title ("the Lancashire Constabulary area" → "The …"). */
export const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** `s` with its first letter in lower case, for a label inside a sentence ("Aggravated burglary" → "aggravated burglary"). */
export const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export const fmtInt = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? Math.round(v).toLocaleString("en-GB") : "–");
export const fmtPct = (v: unknown, digits = 1) => (typeof v === "number" && Number.isFinite(v) ? (100 * v).toFixed(digits) + "%" : "–");
export const fmtNum = (v: unknown, digits = 2) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "–");

/**
 * An HTML table of `rows`. With `marked` (the report under `assess --public`), every cell of a
 * column with a `kind` carries `data-kind="count|derived|other"`, so a reader (or a test) can
 * tell the counts the disclosure rule protects; a numeric column without a `kind` is then refused.
 *
 * @throws Error when `marked` and a numeric column has no `kind` (a table nobody classified).
 */
export function htmlTable<T>(rows: readonly T[], columns: readonly Column<T>[], caption?: string, marked = false): string {
  if (marked) {
    const bare = columns.find((c) => c.numeric && c.kind === undefined);
    if (bare) throw new Error(`htmlTable: under --public every numeric column needs a kind (count, derived or other), got none for "${bare.header}"${caption ? ` in "${caption}"` : ""}`);
  }
  const kind = (c: Column<T>) => (marked && c.kind ? ` data-kind="${c.kind}"` : "");
  const head = columns.map((c) => `<th${c.numeric ? ' class="num"' : ""}${kind(c)}>${escapeHtml(c.header)}</th>`).join("");
  const body = rows
    .map((r) => "<tr>" + columns.map((c) => {
      const v = c.value(r);
      const text = escapeHtml(c.format ? c.format(v, r) : v);
      const href = c.href?.(r);
      return `<td${c.numeric ? ' class="num"' : ""}${kind(c)}>${href ? `<a href="${escapeHtml(href)}">${text}</a>` : text}</td>`;
    }).join("") + "</tr>")
    .join("\n");
  // A wide table scrolls sideways inside its wrapper (a phone, a narrow window), never the page.
  const region = caption ? ` role="region" tabindex="0" aria-label="${escapeHtml(caption)}"` : "";
  return `<div class="table-scroll"${region}><table>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ""}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

export interface Section {
  id: string;
  title: string;
  html: string;
}

export function page(title: string, subtitle: string, sections: readonly Section[]): string {
  const nav = sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join("");
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;overflow-wrap:break-word}
h1{margin-bottom:0}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
.table-scroll{max-width:100%;overflow-x:auto;margin:1em 0}
table{border-collapse:collapse;margin:0;font-size:13px}caption{text-align:left;font-weight:600;padding:.3em 0}
th,td{border-bottom:1px solid #e4e4e4;padding:.25em .6em;text-align:left;vertical-align:top}th{background:#f6f6f6}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.lead{font-size:16px;background:#f4f8fb;border-left:4px solid #3b7dd8;padding:.5em 1em}
.note{color:#555;font-size:13px}figure{margin:1em 0}figcaption{font-size:13px;color:#555;max-width:75em}
figure svg{display:block;max-width:100%;height:auto}
details{margin:.5em 0}summary{cursor:pointer}
@media (max-width:600px){body{font-size:14px;margin:1em auto;padding:0 .75em}h1{font-size:1.5em}.lead{font-size:15px;padding:.4em .75em}nav ol{padding-left:1.4em}}
@page{size:A4;margin:15mm 14mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10pt;color:#000}
h2{break-before:page;break-after:avoid}h3,caption{break-after:avoid}
figure,tr,.lead{break-inside:avoid}
.table-scroll{overflow:visible}thead{display:table-header-group}
a[href]:not([href^="#"])::after{content:" (" attr(href) ")";font-size:90%;color:#444;word-break:break-all}
}
</style></head><body>
<h1>${escapeHtml(title)}</h1><p class="note">${escapeHtml(subtitle)}</p>
<nav><ol>${nav}</ol></nav>
${sections.map((s) => `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join("\n")}
</body></html>
`;
}
