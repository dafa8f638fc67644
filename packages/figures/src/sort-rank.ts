/**
 * Rows with their place in an order as a number, and the Vega-Lite sort that uses it. A sort
 * array (`sort: ["Burglary", "Drugs", …]`) is written by Vega-Lite into the chart's compiled
 * code, so every different order — each area's categories ranked by its own counts — is a
 * different chart to compile and parse (`compileCached` cannot reuse it); a rank in the rows is
 * data like any other value, and the chart is compiled once. The order drawn is the same:
 * values in `order` by their place in it, any other value after them in the order it first
 * appears in the rows, as Vega-Lite places values missing from a sort array.
 * @internal
 */
export function withSortRank<T extends object>(rows: readonly T[], field: keyof T & string, order: readonly string[], rankField: string): { values: (T & Record<string, number>)[]; sort: { field: string; op: "min" } } {
  const rank = new Map<string, number>();
  for (const v of order) if (!rank.has(v)) rank.set(v, rank.size);
  const values = rows.map((r) => {
    const v = String(r[field]);
    let k = rank.get(v);
    if (k === undefined) rank.set(v, (k = rank.size));
    return { ...r, [rankField]: k } as T & Record<string, number>;
  });
  return { values, sort: { field: rankField, op: "min" } };
}
