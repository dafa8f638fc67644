import { invalidOption } from "./errors.js";
import { MONTH_ABBREVIATIONS, clockFor } from "./periods.js";
import type { Span } from "./span-set.js";

/** A known structural break in recorded-crime series: a change that moves counts for reasons other than crime. */
export interface KnownBreak {
  readonly id: string;
  /** What a board reads. */
  readonly title: string;
  /** Where it applies: `"england"` or `"england-wales"`. */
  readonly region: "england" | "england-wales";
  /** First local day it applies (`YYYY-MM-DD`). */
  readonly from: string;
  /** First local day it no longer applies, for a spell (restrictions); `null` for a lasting change. */
  readonly until: string | null;
  /** `restrictions`: behaviour changed for a while; `categories`: the published categories changed; `recording`: how crimes are recorded changed. */
  readonly kind: "restrictions" | "categories" | "recording";
  /** Category keys most affected; `null` = all of them. */
  readonly categories: readonly string[] | null;
  /** What it means for comparisons, in a sentence. */
  readonly effect: string;
  /** Where the date comes from. */
  readonly reference: string;
}

/**
 * Structural breaks a strategic assessment of police-recorded crime and ASB in England (and
 * Wales) must mention when a comparison or series touches them. Each date is from the source
 * named in `reference`.
 */
export const KNOWN_BREAKS: readonly KnownBreak[] = [
  {
    id: "police-uk-categories-2011-09",
    title: "police.uk crime categories expanded",
    region: "england-wales",
    from: "2011-09-01",
    until: null,
    kind: "categories",
    categories: ["criminal-damage-arson", "drugs", "other-theft", "public-disorder-weapons", "shoplifting", "other-crime"],
    effect: "From September 2011 police.uk split 'Other crime' into criminal damage and arson, drugs, other theft, public disorder and weapons, shoplifting and other crime; counts of these types start then.",
    reference: "data.police.uk changelog (street-level crime categories, September 2011 release)",
  },
  {
    id: "police-uk-categories-2013-05",
    title: "police.uk crime categories revised",
    region: "england-wales",
    from: "2013-05-01",
    until: null,
    kind: "categories",
    categories: ["violent-crime", "violent-crime-pre-2013", "public-disorder-weapons", "public-order", "possession-of-weapons", "other-theft", "bicycle-theft", "theft-from-the-person"],
    effect: "From May 2013 police.uk replaced 'Violent crime' with 'Violence and sexual offences' (sexual offences moved in), split 'Public disorder and weapons' into public order and possession of weapons, and took bicycle theft and theft from the person out of other theft.",
    reference: "data.police.uk changelog (May 2013 data); ONS, Crime in England and Wales, year ending March 2013 (18 July 2013), note on the new presentational categories",
  },
  {
    id: "hmic-crime-data-integrity-2014",
    title: "crime-recording improvements after HMIC's crime data integrity inspection",
    region: "england-wales",
    from: "2014-11-18",
    until: null,
    kind: "recording",
    categories: ["violent-crime", "public-order", "criminal-damage-arson", "other-crime"],
    effect: "After HMIC's report 'Crime-recording: making the victim count' (18 November 2014) forces recorded far more of the crimes reported to them; ONS attributes much of the later rise in recorded violence and public order offences to better recording, not more crime.",
    reference: "HMIC, Crime-recording: making the victim count (18 November 2014); ONS, Crime in England and Wales bulletins, year ending March 2015 onwards",
  },
  {
    id: "covid-19-restrictions-england",
    title: "COVID-19 restrictions in England",
    region: "england",
    from: "2020-03-23",
    until: "2021-07-19",
    kind: "restrictions",
    categories: null,
    effect: "From the stay-at-home order of 23 March 2020 (in law from 26 March) to the end of most legal restrictions on 19 July 2021, lockdowns cut burglary, theft and night-time violence and raised ASB reports (including breaches of the rules); counts in this spell are not a normal baseline.",
    reference: "The Health Protection (Coronavirus, Restrictions) (England) Regulations 2020, SI 2020/350 (in force 26 March 2020); Cabinet Office, COVID-19 Response: Summer 2021 (Step 4 from 19 July 2021)",
  },
  {
    id: "hocr-principal-crime-2023-05",
    title: "Home Office Counting Rules: principal crime for conduct crimes",
    region: "england-wales",
    from: "2023-05-01",
    until: null,
    kind: "recording",
    categories: ["violent-crime", "public-order"],
    effect: "From May 2023 a report of stalking, harassment or controlling behaviour alongside another crime is recorded as the more serious crime only, so recorded violence (stalking and harassment) and public order offences fell for a counting reason.",
    reference: "Home Office Counting Rules for recorded crime, 2023/24 changes; ONS, Crime in England and Wales, year ending June 2023 (note on the May 2023 change)",
  },
];

/** Options for {@link knownBreaks}. */
export interface KnownBreaksOptions {
  /** Zone in which the breaks' dates are local days. Default `"Europe/London"`. */
  zone?: string;
  /** Only breaks affecting one of these category keys (breaks affecting every category always count). Default: all. */
  categories?: readonly string[];
  /** The list searched. Default {@link KNOWN_BREAKS}. */
  breaks?: readonly KnownBreak[];
}

/** A known break that touches a span, with its dates as instants. */
export interface KnownBreakHit extends KnownBreak {
  /** The break's span `[start, end)` in epoch minutes (a lasting change: its first day). */
  readonly span: Span;
  /** e.g. "COVID-19 restrictions in England (23 Mar 2020 – 18 Jul 2021): …". */
  readonly sentence: string;
}

/**
 * The known breaks that touch `[from, to)` (epoch minutes): a spell (COVID-19 restrictions)
 * overlapping it, or a lasting change (new categories, recording rules) that starts inside it —
 * so a comparison from a period before the change to one after it names the change. Use it for
 * data from England and Wales; other places have other breaks.
 *
 * @example
 * knownBreaks(parsePeriod("2019/20").start, parsePeriod("2020/21").end).map((b) => b.id) // => ["covid-19-restrictions-england"]
 */
export function knownBreaks(from: number, to: number, options: KnownBreaksOptions = {}): KnownBreakHit[] {
  if (!(Number.isFinite(from) && Number.isFinite(to) && to >= from)) invalidOption("knownBreaks", "from/to", "epoch minutes with from ≤ to", [from, to]);
  const clock = clockFor(options.zone ?? "Europe/London");
  const list = options.breaks ?? KNOWN_BREAKS;
  const cats = options.categories ? new Set(options.categories) : null;
  const day = (s: string) => {
    const [y, m, d] = s.split("-").map(Number);
    return clock.fromLocal(y, m, d);
  };
  const label = (s: string) => {
    const [y, m, d] = s.split("-").map(Number);
    return `${d} ${MONTH_ABBREVIATIONS[m - 1]} ${y}`;
  };
  const out: KnownBreakHit[] = [];
  for (const b of list) {
    if (cats && b.categories && !b.categories.some((c) => cats.has(c))) continue;
    const start = day(b.from);
    const end = b.until === null ? start + 1 : day(b.until);
    const touches = b.until === null ? start > from && start < to : start < to && end > from;
    if (!touches) continue;
    const when = b.until === null ? `from ${label(b.from)}` : `${label(b.from)} to ${label(b.until)}`;
    out.push({ ...b, span: { start, end }, sentence: `${b.title} (${when}): ${b.effect} Source: ${b.reference}.` });
  }
  return out;
}
