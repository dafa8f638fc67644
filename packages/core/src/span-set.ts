/** A half-open stretch of time `[start, end)` in epoch minutes. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Sorts spans and merges those that overlap or touch, dropping empty ones: the canonical form
 * every other span function expects and returns. Does not modify its input.
 *
 * @example
 * mergeSpans([{ start: 5, end: 9 }, { start: 0, end: 5 }]) // => [{ start: 0, end: 9 }]
 */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) {
      if (s.end > last.end) out[out.length - 1] = { start: last.start, end: s.end };
    } else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** The time in both `a` and `b` (each in canonical form), in canonical form. */
export function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (end > start) out.push({ start, end });
    if (a[i].end < b[j].end) ++i;
    else ++j;
  }
  return out;
}

/** The parts of `span` not in `spans` (canonical form), in order. */
export function subtractSpans(span: Span, spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  let t = span.start;
  for (const s of spans) {
    if (s.end <= t) continue;
    if (s.start >= span.end) break;
    if (s.start > t) out.push({ start: t, end: s.start });
    t = Math.max(t, s.end);
    if (t >= span.end) break;
  }
  if (t < span.end) out.push({ start: t, end: span.end });
  return out;
}

/** Minutes of `[start, end)` inside `spans` (canonical form). */
export function coveredMinutes(spans: readonly Span[], start: number, end: number): number {
  let total = 0;
  for (const s of spans) {
    if (s.end <= start) continue;
    if (s.start >= end) break;
    total += Math.min(s.end, end) - Math.max(s.start, start);
  }
  return total;
}

/** Whether `[start, end)` lies wholly inside one span of `spans` (canonical form). */
export function spansContain(spans: readonly Span[], start: number, end: number): boolean {
  // Binary search for the last span starting at or before `start`.
  let lo = 0;
  let hi = spans.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start <= start) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return k >= 0 && spans[k].end >= end;
}
