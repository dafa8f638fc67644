/**
 * The categories an analysis counts, for choosing whose coverage applies: `categories` when
 * given, else every category named in `groups`, else `undefined` (every category).
 */
export function universeCategories(categories?: readonly string[], groups?: Readonly<Record<string, readonly string[]>>): string[] | undefined {
  if (categories !== undefined) return [...categories];
  if (groups !== undefined) return [...new Set(Object.values(groups).flat())];
  return undefined;
}
