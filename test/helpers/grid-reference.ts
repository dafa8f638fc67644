import { expect } from "vitest";

/** |a − b| ≤ 1e-12 · max(1, |b|), element by element, with the index in the message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; ++i) {
    if (!(Math.abs(actual[i] - expected[i]) <= 1e-12 * Math.max(1, Math.abs(expected[i])))) expect(actual[i], `${what}[${i}]`).toBe(expected[i]);
  }
}

/** Cell centres of a side × side grid of `cell` metres, id = row · side + col (the space-time Gi* fixtures' layout). */
export function centres(side: number, cell: number): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(side * side);
  const y = new Float64Array(side * side);
  for (let i = 0; i < side * side; ++i) {
    x[i] = ((i % side) + 0.5) * cell;
    y[i] = (Math.floor(i / side) + 0.5) * cell;
  }
  return { x, y };
}
