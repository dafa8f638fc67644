// IncidentTableBuilder.finish with `release`: the builder hands over its own columns, the kept rows
// moved to the front in place (no copy). The reference is the same builder contents finished
// without `release` (each column copied by the plain path), row by row through incidentRows.
import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, incidentRows, idValue } from "@community-safety/core";

/** A builder of `n` rows: numbers, a dictionary past 256 values (Uint16 codes), one under it, and ids (hex, blank, text). */
function build(n: number, capacity: number, textIds: boolean): IncidentTableBuilder {
  const b = new IncidentTableBuilder("Europe/London", "EPSG:27700", capacity);
  for (let r = 0; r < n; ++r) {
    const i = b.addRow();
    b.start[i] = 1_000_000 + r * 60;
    b.end[i] = b.start[i] + 60;
    b.precision[i] = r % 3;
    b.x[i] = 400_000 + r * 0.5;
    b.y[i] = r % 7 === 0 ? NaN : 300_000 - r;
    b.lon[i] = -1 + r / 1e6;
    b.lat[i] = 52 + r / 1e6;
    b.dict.location.set(i, `Street ${r % 300}`);
    b.dict.category.set(i, r % 5 === 0 ? null : `cat${r % 4}`);
    b.id.set(i, r % 11 === 0 ? "" : textIds && r === 17 ? "CR/17/21" : (r * 2654435761 >>> 0).toString(16).padStart(8, "0").repeat(r % 2 ? 8 : 1));
  }
  return b;
}

const rowsOf = (t: ReturnType<IncidentTableBuilder["finish"]>) => incidentRows(t).map((r) => JSON.stringify(r));

describe("IncidentTableBuilder.finish({ release: true }): columns compacted in place", () => {
  for (const textIds of [false, true]) {
    it(`gives the rows a copying finish gives, kept rows with gaps and runs (${textIds ? "text" : "hex"} ids)`, () => {
      const n = 1_000;
      // Gaps of one and of many rows, a long run, the first and last rows dropped.
      const keep = Uint32Array.from({ length: n }, (_, i) => i).filter((i) => i !== 0 && i !== n - 1 && i % 13 !== 5 && !(i > 400 && i < 460));
      const expected = build(n, 2_048, textIds).finish(keep);
      const b = build(n, 2_048, textIds);
      const x = b.x;
      const codes = b.dict.location.codes;
      const got = b.finish(keep, { release: true });
      expect(got.length).toBe(keep.length);
      expect(rowsOf(got)).toEqual(rowsOf(expected));
      for (let k = 0; k < keep.length; ++k) expect(idValue(got.id, k)).toBe(idValue(expected.id, k));
      // Nothing copied: the table's columns are the builder's storage, now holding the kept rows first.
      expect(got.x.buffer).toBe(x.buffer);
      expect(got.location.codes.buffer).toBe(codes.buffer);
      expect(got.location.codes).toBeInstanceOf(Uint16Array); // 300 streets
      expect(got.x.length).toBe(keep.length);
    });
  }

  it("all rows kept: views of the first rows, equal to the copies", () => {
    const expected = build(500, 4_096, false).finish();
    const b = build(500, 4_096, false);
    const y = b.y;
    const got = b.finish(undefined, { release: true });
    expect(rowsOf(got)).toEqual(rowsOf(expected));
    expect(got.y.buffer).toBe(y.buffer);
    expect(got.y.length).toBe(500);
  });

  it("keep not increasing: each column copied, rows in the order given", () => {
    const keep = Uint32Array.from([9, 3, 3, 0]);
    const expected = build(12, 16, true).finish(keep);
    const b = build(12, 16, true);
    const x = b.x;
    const got = b.finish(keep, { release: true });
    expect(rowsOf(got)).toEqual(rowsOf(expected));
    expect(got.x.buffer).not.toBe(x.buffer);
    expect(got.x[0]).toBe(400_000 + 9 * 0.5);
  });

  it("a dictionary whose kept rows need a narrower array is copied into one (Uint16 → Uint8)", () => {
    const b = build(600, 1_024, false);
    // Keep rows of 10 streets only: 11 values with missing, one byte a row.
    const keep = Uint32Array.from({ length: 600 }, (_, i) => i).filter((i) => i % 300 < 10);
    const expected = build(600, 1_024, false).finish(keep);
    const got = b.finish(keep, { release: true });
    expect(got.location.codes).toBeInstanceOf(Uint8Array);
    expect(rowsOf(got)).toEqual(rowsOf(expected));
  });
});
