/** One item of a ranked list that {@link rankWindow} keeps. */
export interface RankedItem<T> {
  readonly item: T;
  /** Its rank in the whole list: 1 for the first. */
  readonly rank: number;
  /** How many items of the list were left out just before it (0 when it follows the previous kept item). */
  readonly skippedBefore: number;
}

/** Options for {@link rankWindow}. */
export interface RankWindowOptions {
  /** Lists up to this long are kept whole. Default 25. */
  readonly max?: number;
  /** Items kept at each end of a longer list (the highest and the lowest). Default 3. */
  readonly ends?: number;
  /** Items kept either side of the focus. Default 6. */
  readonly around?: number;
}

/**
 * The part of a ranked list a reader can take in: the whole list when it holds at most `max`
 * items, else the first and last `ends` (the extremes, for scale) and the `around` items either
 * side of `focus` (the assessed area among its neighbours in the ranking), in rank order, each
 * with its rank and how many were left out before it. A `focus` outside the list (−1: the area
 * is not ranked) keeps the ends only. A national run compares each partnership with 300 others:
 * a chart or table of every one is too long to read, and the same in every report.
 *
 * @example
 * rankWindow(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], 5, { max: 5, ends: 1, around: 1 }).map((r) => `${r.rank}${r.item}`)
 * // => ["1a", "5e", "6f", "7g", "10j"]
 */
export function rankWindow<T>(ranked: readonly T[], focus: number, options: RankWindowOptions = {}): RankedItem<T>[] {
  const max = options.max ?? 25;
  const ends = options.ends ?? 3;
  const around = options.around ?? 6;
  const n = ranked.length;
  const keep = new Uint8Array(n);
  if (n <= max) keep.fill(1);
  else {
    keep.fill(1, 0, Math.min(ends, n));
    keep.fill(1, Math.max(0, n - ends), n);
    if (focus >= 0 && focus < n) keep.fill(1, Math.max(0, focus - around), Math.min(n, focus + around + 1));
  }
  const out: RankedItem<T>[] = [];
  let skipped = 0;
  for (let i = 0; i < n; ++i) {
    if (!keep[i]) {
      skipped += 1;
      continue;
    }
    out.push({ item: ranked[i], rank: i + 1, skippedBefore: skipped });
    skipped = 0;
  }
  return out;
}
