import type { IncidentTable } from "@community-safety/core";
import { POLICE_UK_PLACE_NAMES, PolygonIndex, type PolygonLayer } from "@community-safety/geo";
import { upperFirst } from "./html.js";

/** An area's name split into the town it is in and the rest, as far as the data say. */
export interface AreaName {
  /** The name as the file gives it ("Loughborough Lemyngton"). */
  readonly name: string;
  /** The town ("Loughborough"), or null when the data do not say. */
  readonly town: string | null;
  /** The name without the town ("Lemyngton"); the whole name when there is no town. */
  readonly short: string;
}

/** Tokens of a name: words, with a hyphen or a space before each but the first. */
function tokens(name: string): string[] {
  return name.split(/(?=[ -])/);
}

/**
 * Each area's town and short name, from the data only: the area's own `town` (a property such
 * as the synthetic borough's) when given and a prefix of its name; else the leading words its
 * name shares with every other name that starts with the same first word, when at least two
 * names do ("Loughborough Ashby", "Loughborough Lemyngton", … → "Loughborough";
 * "Market Harborough-Logan", "Market Harborough-Welland" → "Market Harborough"; "Oakham North
 * East", "Oakham South West" → "Oakham"). A name with no such sibling, or nothing after the
 * prefix, has no town. No gazetteer is consulted and nothing is invented.
 *
 * @example
 * areaNames(["Syston East", "Syston West", "Thurmaston"]).map((a) => a.town); // => ["Syston", "Syston", null]
 */
export function areaNames(names: readonly string[], towns: readonly (string | null | undefined)[] = []): AreaName[] {
  const byFirst = new Map<string, string[][]>();
  const split = names.map((n) => tokens(n.trim()));
  for (const t of split) {
    const list = byFirst.get(t[0]);
    if (list) list.push(t);
    else byFirst.set(t[0], [t]);
  }
  return names.map((raw, i) => {
    const name = raw.trim();
    const given = towns[i]?.trim();
    if (given) {
      const rest = name.startsWith(given) ? name.slice(given.length).replace(/^[\s-]+/, "") : "";
      return rest ? { name, town: given, short: rest } : { name, town: null, short: name };
    }
    const t = split[i];
    // Other names that start with the same word and go on (a ward called just "Forest" makes no town of "Forest Bradgate").
    const siblings = (byFirst.get(t[0]) ?? []).filter((s) => s.length > 1 && s.join("") !== t.join(""));
    if (!siblings.length || t.length < 2) return { name, town: null, short: name };
    // The longest token prefix every name starting with this first word shares.
    let k = 1;
    while (k < t.length - 1 && siblings.every((s) => s.length > k + 1 && s[k] === t[k])) k += 1;
    const town = t.slice(0, k).join("").trim();
    const short = t.slice(k).join("").replace(/^[\s-]+/, "").trim();
    return short ? { name, town, short } : { name, town: null, short: name };
  });
}

/** Where a set of incidents is, in words. */
export interface Place {
  /** The commonest street among them (in their commonest area, when areas are known), or null. */
  readonly street: string | null;
  /** Index of their commonest area in the layer, or -1. */
  readonly area: number;
  readonly town: string | null;
  /** The area's short name (without the town), or null. */
  readonly areaName: string | null;
  /** "Swan Street, Loughborough (Lemyngton ward)", "Loughborough, Lemyngton ward", or the street alone. */
  readonly phrase: string;
}

const PLACES = new Set(POLICE_UK_PLACE_NAMES.map((p) => p.toLowerCase()));

/** Options of {@link PlaceNamer.describe}. */
export interface DescribeOptions {
  /** The area when no row is in one (e.g. the area under a cell's centre). Default -1 (none). */
  fallbackArea?: number;
  /** Name the place by this street (e.g. one already chosen), in the area most of its rows are in. */
  street?: string;
}

/** "On or near Swan Street" → "Swan Street". */
export function streetName(location: string | null | undefined): string | null {
  const s = location?.replace(/^on or near\s+/i, "").trim();
  return s ? s : null;
}

/**
 * Names places by the areas (wards, beats) and streets of the incidents in them: the area
 * holding most of the incidents, its town ({@link areaNames}), and the commonest street among
 * the incidents in that area (a police.uk place category such as "Supermarket" only when no
 * street is named). Areas are found by indexed point-in-polygon on the table's projected x/y.
 */
export class PlaceNamer {
  readonly names: readonly AreaName[];
  readonly label: string;
  private readonly index: PolygonIndex | null;

  /**
   * @param layer the areas in the table's CRS (geo's `polygonLayer`), or null to name by street only
   * @param key the property naming each area
   * @param label what the areas are ("ward", "beat")
   */
  constructor(layer: PolygonLayer | null, key: string, label: string) {
    this.label = label;
    this.index = layer ? new PolygonIndex(layer.rings) : null;
    this.names = layer
      ? areaNames(
          layer.properties.map((p) => String(p[key] ?? "")),
          layer.properties.map((p) => (typeof p.town === "string" ? p.town : null)),
        )
      : [];
  }

  /** The area holding each row of `table` (-1: none, or no areas). */
  assign(table: IncidentTable): Int32Array {
    return this.index ? this.index.findEach(table.x, table.y) : new Int32Array(table.length).fill(-1);
  }

  /** "Thurmaston ward", or "District 11" for an area named by a number alone (Chicago's police districts). */
  private bare(name: string): string {
    return /^\d+$/.test(name) ? `${upperFirst(this.label)} ${name}` : `${name} ${this.label}`;
  }

  /** The area holding a point in metres, or -1. */
  areaAt(x: number, y: number): number {
    return this.index ? this.index.find(x, y) : -1;
  }

  /** "Loughborough, Lemyngton ward" (or "Thurmaston ward") for area `a`; null for -1. */
  areaPhrase(a: number): string | null {
    if (a < 0) return null;
    const n = this.names[a];
    return n.town ? `${n.town}, ${n.short} ${this.label}` : this.bare(n.name);
  }

  /**
   * Where the rows `indices` of `table` are (`area`: {@link assign} of the same table): their
   * commonest area and, in it, their commonest street.
   */
  describe(table: IncidentTable, area: Int32Array, indices: Iterable<number>, options: DescribeOptions = {}): Place {
    const { fallbackArea = -1, street: given } = options;
    const perArea = new Map<number, number>();
    const rows: number[] = [];
    for (const i of indices) rows.push(i);
    // With a given street, its area is the commonest among the rows at that street (if any).
    const atStreet = given === undefined ? [] : rows.filter((i) => streetName(table.location.values[table.location.codes[i]]) === given);
    for (const i of atStreet.length ? atStreet : rows) perArea.set(area[i], (perArea.get(area[i]) ?? 0) + 1);
    let a = -1;
    let best = 0;
    for (const [k, n] of perArea) if (k >= 0 && (n > best || (n === best && k < a))) [a, best] = [k, n];
    if (a < 0) a = fallbackArea;
    const streets = new Map<string, number>();
    const places = new Map<string, number>();
    for (const i of rows) {
      if (a >= 0 && area[i] !== a) continue;
      const s = streetName(table.location.values[table.location.codes[i]]);
      if (!s) continue;
      const m = PLACES.has(s.toLowerCase()) ? places : streets;
      m.set(s, (m.get(s) ?? 0) + 1);
    }
    const top = (m: Map<string, number>) => [...m.entries()].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1))[0]?.[0] ?? null;
    const placeName = top(places);
    // A place rather than a street ("Nightclub", "Park/Open Space") reads as "the nightclub".
    const asPlace = (p: string) => `the ${p.toLowerCase()}`;
    const street = given !== undefined ? (PLACES.has(given.toLowerCase()) ? asPlace(given) : given) : (top(streets) ?? (placeName === null ? null : asPlace(placeName)));
    const n = a >= 0 ? this.names[a] : null;
    let phrase: string;
    if (!n) phrase = street ?? "an unnamed place";
    else if (!street) phrase = this.areaPhrase(a)!;
    else phrase = n.town ? `${street}, ${n.town} (${n.short} ${this.label})` : `${street} (${this.bare(n.name)})`;
    return { street, area: a, town: n?.town ?? null, areaName: n ? n.short : null, phrase };
  }
}
