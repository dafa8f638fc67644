import { disclosureRule, invalidOption, type DisclosurePolicy } from "@community-safety/core";
import { escapeHtml, htmlTable, type Column } from "./html.js";
import { PUBLIC_COLUMNS, isSmall, publicRows, type CountsDisclosure, type DisclosureSpec, type PublicRowsTally } from "./public-rows.js";

/** What was withheld in one protected table or file. */
export interface DisclosureTally extends PublicRowsTally {
  /** The file name or the report table's caption. */
  readonly name: string;
}

/**
 * The disclosure control of one report: the policy (or none, when the report is not for
 * publication), and a tally of what each protected table withheld. Sections protect their rows
 * with {@link DisclosureContext.protect} and build every output of a table from the result; an
 * inactive context (no `--public`) returns rows, counts and tables exactly as they were.
 */
export class DisclosureContext {
  /** The policy with its defaults, or `null` when the report is not for publication. */
  readonly policy: Required<DisclosurePolicy> | null;
  /** The rule in words (`disclosureRule`), or "" when inactive. */
  readonly rule: string;
  readonly tallies: DisclosureTally[] = [];

  constructor(policy: DisclosurePolicy | null) {
    if (policy === null) {
      this.policy = null;
      this.rule = "";
      return;
    }
    const p = { threshold: policy.threshold ?? 5, method: policy.method ?? "suppress", base: policy.base ?? 5 };
    this.rule = disclosureRule(p); // validates the policy
    this.policy = p;
  }

  /** Whether outputs are being protected for publication. */
  get active(): boolean {
    return this.policy !== null;
  }

  /** The threshold (5 by default; `Infinity` when inactive, so nothing is small). */
  get threshold(): number {
    return this.policy?.threshold ?? Infinity;
  }

  /** Whether a count is disclosive (1 to threshold − 1) under the policy; never when inactive. */
  small(n: unknown): boolean {
    return this.policy !== null && isSmall(n, this.policy.threshold);
  }

  /**
   * Protects a table's rows by its spec (see `publicRows`) and tallies what was withheld under
   * `name`; returns the rows unchanged (the same array) when inactive.
   */
  protect<T extends object>(name: string, rows: readonly T[], spec: CountsDisclosure): (T & { suppressed?: string | null })[] {
    if (this.policy === null) return rows as T[];
    const { rows: out, ...tally } = publicRows(rows, spec, this.policy);
    this.tallies.push({ name, ...tally });
    return out;
  }

  /**
   * One count for a sentence: itself when inactive or not disclosive, rounded with `round`, or
   * `null` (withheld) when it is from 1 to threshold − 1.
   */
  count(n: number): number | null {
    const p = this.policy;
    if (p === null) return n;
    if (p.method === "round") return Math.round(n / p.base) * p.base;
    return isSmall(n, p.threshold) ? null : n;
  }

  /** Whether a protected row had values withheld (its `suppressed` column). */
  withheld(row: object): boolean {
    return this.policy !== null && typeof (row as { suppressed?: unknown }).suppressed === "string";
  }

  /** "Robbery: withheld (fewer than 5 incidents in a period compared)" — the sentence for a withheld count. */
  withheldSentence(subject: string, where = "in a period compared"): string {
    return `${subject}: withheld (fewer than ${this.threshold} incidents ${where}).`;
  }

  /** An HTML table, marked (`data-kind`) and followed by the disclosure note when active. */
  table<T>(name: string, rows: readonly T[], columns: readonly Column<T>[], caption?: string): string {
    return htmlTable(rows, columns, caption, this.active) + this.note(name);
  }

  /** The note under a protected table: the rule, and how many of its counts were withheld (or rounded). */
  note(name: string): string {
    if (this.policy === null) return "";
    const t = this.tallies.find((x) => x.name === name);
    if (!t) throw new Error(`DisclosureContext.note: no protected table named "${name}"`);
    return `<p class="note disclosure">${escapeHtml(`Disclosure control: ${this.rule} ${this.tallyWords(t)}`)}</p>`;
  }

  /** "3 of 56 counts here are withheld (2 from 1 to 4, 1 to protect them)." */
  tallyWords(t: DisclosureTally): string {
    const p = this.policy!;
    const gen = t.generalised ? ` ${t.generalised} point${t.generalised === 1 ? "" : "s"} of small counts moved to the centre of ${t.generalised === 1 ? "its" : "their"} 500 m grid cell.` : "";
    if (p.method === "round") return `${t.rounded} of ${t.cells} counts here changed by rounding${t.series ? `; ${t.series} withheld with a series holding a small count` : ""}.${gen}`;
    const withheld = t.primary + t.secondary + t.series;
    const parts = [t.primary ? `${t.primary} from 1 to ${p.threshold - 1}` : "", t.secondary ? `${t.secondary} to protect them` : "", t.series ? `${t.series} with a series holding a small count` : ""].filter(Boolean);
    if (withheld === 0) return `No count here is withheld (${t.cells.toLocaleString("en-GB")} published).${gen}`;
    return `${withheld.toLocaleString("en-GB")} of ${t.cells.toLocaleString("en-GB")} counts here ${withheld === 1 ? "is" : "are"} withheld${parts.length ? ` (${parts.join(", ")})` : ""}.${gen}`;
  }

  /** ` data-count-fields="incidents"` on a `<figure>` when active (the aria-label keys that are counts), else "". */
  figure(countFields: readonly string[]): string {
    return this.active ? ` data-count-fields="${escapeHtml(countFields.join("|"))}"` : "";
  }

  /**
   * Figure data with every value of `fields` from 0 to the threshold (exclusive, above 0) set to
   * `null`, when active: a safety net for values drawn from counts that are not themselves
   * protected cells (an STL trend, a cumulative line), so no figure draws a small count.
   */
  chart<T extends Record<string, unknown>>(values: readonly T[], fields: readonly string[]): T[] {
    if (this.policy === null) return values as T[];
    const t = this.policy.threshold;
    return values.map((v) => {
      if (!fields.some((f) => isSmall(v[f], t))) return v;
      const c: Record<string, unknown> = { ...v };
      for (const f of fields) if (isSmall(c[f], t)) c[f] = null;
      return c as T;
    });
  }

  /** The data quality section's statement: the rule and what every protected table withheld. */
  summaryHtml(): string {
    if (this.policy === null) return "";
    const p = this.policy;
    const total = this.tallies.reduce((a, t) => ({ cells: a.cells + t.cells, withheld: a.withheld + t.primary + t.secondary + t.series, rounded: a.rounded + t.rounded, generalised: a.generalised + t.generalised }), { cells: 0, withheld: 0, rounded: 0, generalised: 0 });
    const lead =
      p.method === "round"
        ? `This report is protected for publication: ${this.rule} Across its tables and files ${total.rounded.toLocaleString("en-GB")} of ${total.cells.toLocaleString("en-GB")} counts were changed by rounding${total.withheld ? ` and ${total.withheld.toLocaleString("en-GB")} withheld with a series holding a small count` : ""}; ${total.generalised.toLocaleString("en-GB")} points of small counts were moved to the centre of their 500 m grid cell.`
        : `This report is protected for publication: ${this.rule} Across its tables and files ${total.withheld.toLocaleString("en-GB")} of ${total.cells.toLocaleString("en-GB")} counts were withheld (shown “–” here, blank in the CSVs, with a “suppressed” column saying why); ${total.generalised.toLocaleString("en-GB")} points of small counts were moved to the centre of their 500 m grid cell.`;
    const more =
      `Derived values (shares, rates, changes, confidence intervals, p-values and the sentences built from them) are withheld with their counts; the statistics of a series (trend, seasonal profile, control limits, a target's trajectory) are withheld when the series holds a withheld count. Aoristic time-of-week weights are fractional counts and are protected as counts (a weight below ${p.threshold} is withheld, or all are rounded). Gi* z and q are published as hot and cold classes only, and kernel density only where it could hold ${p.threshold} or more incidents, to 2 significant figures. ` +
      `Rejected rows are listed without their raw values, and no output holds victim or place keys. Counts of input rows by file and by rejection reason describe the processing of the files, not incidents by type, place or time, and are not protected.`;
    const rows = this.tallies.filter((t) => t.cells > 0);
    return `<h3>Disclosure control</h3><p class="lead">${escapeHtml(lead)}</p><p class="note">${escapeHtml(more)}</p>` +
      htmlTable(rows, [
        { header: "Table or file", value: (t) => t.name },
        { header: "Counts", value: (t) => t.cells, numeric: true, kind: "other" },
        ...(p.method === "round"
          ? [{ header: "Rounded", value: (t: DisclosureTally) => t.rounded, numeric: true, kind: "other" as const }]
          : [
              { header: `Withheld (1–${p.threshold - 1})`, value: (t: DisclosureTally) => t.primary, numeric: true, kind: "other" as const },
              { header: "Withheld to protect them", value: (t: DisclosureTally) => t.secondary, numeric: true, kind: "other" as const },
            ]),
        { header: "Withheld with a series", value: (t) => t.series, numeric: true, kind: "other" },
        { header: "Points generalised", value: (t) => t.generalised, numeric: true, kind: "other" },
      ], "What disclosure control withheld, by table", true);
  }
}

/** The spec columns an output may hold: its counts, dimensions, derived and other columns, its points, and `suppressed`/`position`. */
export function specColumns(spec: CountsDisclosure): Set<string> {
  const pts = spec.points;
  return new Set([
    ...spec.counts,
    ...spec.dimensions,
    ...(spec.derived ?? []),
    ...(spec.withheld ?? []),
    ...(spec.series ? [...spec.series.by, ...spec.series.derived] : []),
    ...Object.keys(spec.other ?? {}),
    ...(pts ? [pts.x ?? "x", pts.y ?? "y", pts.lon === undefined ? "lon" : pts.lon, pts.lat === undefined ? "lat" : pts.lat, pts.count ?? "count", ...(pts.withhold ?? [])].filter((c): c is string => c !== null) : []),
    ...PUBLIC_COLUMNS,
  ]);
}

/** An output as `assess` writes it: rows as CSV, or `text` as it is (GeoJSON), with its disclosure spec. */
export interface CheckedOutput {
  readonly name: string;
  readonly rows: readonly Record<string, unknown>[];
  readonly columns?: readonly string[];
  readonly text?: string;
  readonly disclosure?: DisclosureSpec;
}

/**
 * Checks, before `assess --public` writes it, that an output is protected by its spec: the spec
 * is there; for a table of counts every column written (CSV columns, GeoJSON feature
 * properties) is one the spec names, and no count cell holds a disclosive value (1 to
 * threshold − 1 with `suppress`; anything but a multiple of the base with `round`). Returns the
 * problems found (empty when the output may be written).
 */
export function publicOutputProblems(file: CheckedOutput, policy: DisclosurePolicy): string[] {
  const threshold = policy.threshold ?? 5;
  const method = policy.method ?? "suppress";
  const base = policy.base ?? 5;
  const spec = file.disclosure;
  if (!spec || (spec.kind !== "counts" && spec.kind !== "not-disclosive")) return [`${file.name}: no disclosure spec`];
  if (spec.kind === "not-disclosive") return typeof spec.reason === "string" && spec.reason.trim() ? [] : [`${file.name}: "not-disclosive" without a reason`];
  let records: readonly Record<string, unknown>[];
  let columns: string[];
  if (file.text !== undefined) {
    let fc: { features?: { properties?: Record<string, unknown> | null }[] };
    try {
      fc = JSON.parse(file.text);
    } catch {
      return [`${file.name}: a table of counts written as text must be a GeoJSON FeatureCollection`];
    }
    records = (fc.features ?? []).map((f) => f.properties ?? {});
    columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  } else {
    records = file.rows;
    columns = [...(file.columns ?? (file.rows.length ? Object.keys(file.rows[0]) : []))];
  }
  const problems: string[] = [];
  const known = specColumns(spec);
  for (const c of columns) if (!known.has(c)) problems.push(`${file.name}: column "${c}" is not named by its disclosure spec`);
  records.forEach((r, i) => {
    for (const c of spec.withheld ?? []) if (r[c] !== null && r[c] !== undefined) problems.push(`${file.name}: row ${i + 1} publishes ${c}, which its spec withholds`);
    for (const c of spec.counts) {
      const v = r[c];
      if (v === null || v === undefined) continue;
      const bad = typeof v !== "number" ? true : method === "round" ? !Number.isInteger(v / base) : isSmall(v, threshold);
      if (bad) problems.push(`${file.name}: row ${i + 1} publishes ${c} = ${String(v)}`);
    }
  });
  return problems.slice(0, 20);
}

/** The policy `assess` applies for `public: true | DisclosurePolicy`, validated; `null` for no `public`. */
export function publicPolicy(value: boolean | DisclosurePolicy | undefined): DisclosurePolicy | null {
  if (value === undefined || value === false) return null;
  if (value === true) return {};
  if (typeof value !== "object" || value === null) invalidOption("assess", "public", "true or a disclosure policy ({ threshold, method, base })", value);
  return value;
}
