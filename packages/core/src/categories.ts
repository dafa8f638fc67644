import { InputError, describeValue } from "./errors.js";

/**
 * police.uk's 14 crime types: the stable key (police.uk API slug) and the label used in
 * the street-level CSV files.
 */
export const POLICE_UK_CATEGORIES: ReadonlyArray<{ readonly key: string; readonly label: string }> = [
  { key: "anti-social-behaviour", label: "Anti-social behaviour" },
  { key: "bicycle-theft", label: "Bicycle theft" },
  { key: "burglary", label: "Burglary" },
  { key: "criminal-damage-arson", label: "Criminal damage and arson" },
  { key: "drugs", label: "Drugs" },
  { key: "other-crime", label: "Other crime" },
  { key: "other-theft", label: "Other theft" },
  { key: "possession-of-weapons", label: "Possession of weapons" },
  { key: "public-order", label: "Public order" },
  { key: "robbery", label: "Robbery" },
  { key: "shoplifting", label: "Shoplifting" },
  { key: "theft-from-the-person", label: "Theft from the person" },
  { key: "vehicle-crime", label: "Vehicle crime" },
  { key: "violent-crime", label: "Violence and sexual offences" },
];

/** Categories used by police.uk before 2013, kept under their own keys (never merged into today's). */
export const POLICE_UK_LEGACY_CATEGORIES: ReadonlyArray<{ readonly key: string; readonly label: string }> = [
  { key: "violent-crime-pre-2013", label: "Violent crime" },
  { key: "public-disorder-weapons", label: "Public disorder and weapons" },
];

const LABEL_TO_KEY = new Map<string, string>([...POLICE_UK_CATEGORIES, ...POLICE_UK_LEGACY_CATEGORIES].map((c) => [c.label, c.key]));
const KEY_TO_LABEL = new Map<string, string>([...POLICE_UK_CATEGORIES, ...POLICE_UK_LEGACY_CATEGORIES].map((c) => [c.key, c.label]));

/** The police.uk key for a CSV label (`"Bicycle theft"` → `"bicycle-theft"`), or `undefined`. */
export function policeUkCategoryKey(label: string): string | undefined {
  return LABEL_TO_KEY.get(label);
}

/**
 * A readable label for a category key: police.uk's own label, else the key with hyphens as
 * spaces and a capital first letter.
 *
 * @example
 * categoryLabel("violent-crime") // => "Violence and sexual offences"
 * categoryLabel("deliberate-secondary-fire") // => "Deliberate secondary fire"
 */
export function categoryLabel(key: string): string {
  const known = KEY_TO_LABEL.get(key);
  if (known !== undefined) return known;
  const words = key.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** All police.uk crime keys that are crimes (every type except anti-social behaviour). */
export const POLICE_UK_CRIME_KEYS: readonly string[] = POLICE_UK_CATEGORIES.filter((c) => c.key !== "anti-social-behaviour").map((c) => c.key);

/**
 * User-defined category groups: a group key mapped to the category keys it contains, e.g.
 * `{ "serious-acquisitive": ["burglary", "robbery", "vehicle-crime"] }`. A category may sit in
 * several groups; every analysis that takes `groups` counts an incident once in each group
 * that contains its category.
 */
export type CategoryGroups = Readonly<Record<string, readonly string[]>>;

/** Groups commonly used in partnership plans (police.uk keys). */
export const COMMON_GROUPS: CategoryGroups = {
  "all-crime": POLICE_UK_CRIME_KEYS,
  "serious-acquisitive": ["burglary", "robbery", "vehicle-crime"],
  "theft": ["bicycle-theft", "other-theft", "shoplifting", "theft-from-the-person", "vehicle-crime"],
};

/**
 * For each category code of a dictionary (`values[code]`), the list of group indices it
 * belongs to. Groups that name a category absent from the data are allowed (they count 0),
 * but names must be non-empty strings.
 *
 * @throws InputError `unknown-category` when `strict` is true and a group names a category not in `values`.
 */
export function groupMembership(
  values: ReadonlyArray<string | null>,
  groups: CategoryGroups,
  options: { strict?: boolean; fn?: string } = {},
): { keys: string[]; members: number[][] } {
  const fn = options.fn ?? "groupMembership";
  if (groups === null || typeof groups !== "object") throw new InputError("invalid-option", `${fn}: groups must be an object of group → category keys, got ${describeValue(groups)}`);
  const keys = Object.keys(groups);
  const codeOf = new Map<string, number>();
  values.forEach((v, c) => v !== null && codeOf.set(v, c));
  const members: number[][] = values.map(() => []);
  keys.forEach((g, gi) => {
    const list = groups[g];
    if (!Array.isArray(list) || list.length === 0) throw new InputError("invalid-option", `${fn}: groups.${g} must be a non-empty array of category keys, got ${describeValue(list)}`);
    for (const cat of list) {
      if (typeof cat !== "string" || cat === "") throw new InputError("invalid-option", `${fn}: groups.${g} must list category keys, got ${describeValue(cat)}`);
      const code = codeOf.get(cat);
      if (code === undefined) {
        if (options.strict) throw new InputError("unknown-category", `${fn}: groups.${g} names category ${describeValue(cat)}, which is not in the data`);
        continue;
      }
      if (!members[code].includes(gi)) members[code].push(gi);
    }
  });
  return { keys, members };
}
