/** Renders a {@link BenchResults} file as the README's Markdown block (pure: used by the test too). */
import type { BenchColumn, BenchResults } from "./results.js";

function fmtNumber(v: number, c: BenchColumn): string {
  if (!Number.isFinite(v)) return String(v);
  let s: string;
  if (c.digits !== undefined) s = v.toFixed(c.digits);
  else if (Math.abs(v) >= 100 || Number.isInteger(v)) s = Math.round(v).toString();
  else s = Number(v.toPrecision(3)).toString();
  const [int, frac] = s.split(".");
  const sign = int.startsWith("-") ? "-" : "";
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + grouped + (frac !== undefined ? "." + frac : "");
}

function cell(v: string | number | null | undefined, c: BenchColumn): string {
  if (v === null || v === undefined) return "–";
  const s = typeof v === "number" ? fmtNumber(v, c) : v.replace(/\|/g, "\\|");
  return c.bold ? `**${s}**` : s;
}

export function renderResults(r: BenchResults): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push(`\`${r.command}\` — ${r.date.slice(0, 10)}, ${m.cpus} × ${m.cpuModel}, ${m.memGiB} GiB, Node ${m.node}` +
    (m.peers && Object.keys(m.peers).length ? `, ${Object.entries(m.peers).map(([k, v]) => `${k} ${v}`).join(", ")}` : "") +
    `; load average ${m.loadStart}${m.loadEnd !== undefined ? `→${m.loadEnd}` : ""}.`);
  lines.push("");
  const numeric = r.columns.map((c) => c.align ? c.align === "right" : r.rows.some((row) => typeof row[c.key] === "number"));
  lines.push("| " + r.columns.map((c) => c.label).join(" | ") + " |");
  lines.push("|" + numeric.map((n) => (n ? "---:" : "---")).join("|") + "|");
  for (const row of r.rows) lines.push("| " + r.columns.map((c) => cell(row[c.key], c)).join(" | ") + " |");
  if (r.notes?.length) {
    lines.push("");
    for (const n of r.notes) lines.push(`- ${n}`);
  }
  return lines.join("\n");
}

/** Replaces every `<!-- bench:NAME -->…<!-- /bench:NAME -->` block whose results are given. */
export function renderReadme(readme: string, results: ReadonlyMap<string, BenchResults>): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = readme.replace(/<!-- bench:([\w-]+) -->\n[\s\S]*?<!-- \/bench:\1 -->/g, (whole, name: string) => {
    const r = results.get(name);
    if (!r) {
      missing.push(name);
      return whole;
    }
    return `<!-- bench:${name} -->\n${renderResults(r)}\n<!-- /bench:${name} -->`;
  });
  return { text, missing };
}
