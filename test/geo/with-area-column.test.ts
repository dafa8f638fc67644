import { describe, it, expect } from "vitest";
import { dictValue, type InputError } from "@community-safety/core";
import { assignAreas, withAreaColumn, type AssignAreasResult } from "@community-safety/geo";
import { threeAreas, threeAreaTable } from "../fixtures/geo/three-areas.js";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

describe("withAreaColumn", () => {
  it("withAreaColumn(table, \"beat\", result) writes each row's key into a new table", () => {
    const table = threeAreaTable();
    const out = withAreaColumn(table, "beat", assignAreas(table, threeAreas(), { key: "name" }));
    const beats = Array.from({ length: out.length }, (_, i) => dictValue(out.beat, i));
    // By hand from the fixture's ROWS: r0 A, r1 B (edge), r2 B, r3 none, r4 no location, r5 hole, r6 C, r7 C, r8 C (edge).
    expect(beats).toEqual(["A", "B", "B", null, null, null, "C", "C", "C"]);
    expect(out.beat.values).toEqual([null, "A", "B", "C"]);
    expect(out.beat.codes).toBeInstanceOf(Uint8Array);
  });

  it("withAreaColumn shares every other column and leaves the input as it was", () => {
    const table = threeAreaTable();
    const oldBeat = table.beat;
    const out = withAreaColumn(table, "ward", assignAreas(table, threeAreas(), { key: "district" }));
    expect(out).not.toBe(table);
    expect([out.x === table.x, out.category === table.category, out.beat === table.beat, out.id === table.id]).toEqual([true, true, true, true]);
    expect(table.beat).toBe(oldBeat);
    expect(Array.from({ length: table.length }, (_, i) => dictValue(table.ward, i)).every((w) => w === null)).toBe(true);
    // Features sharing a key share a code: A and B are both "North".
    expect(out.ward.values).toEqual([null, "North", "South"]);
    expect(Array.from(out.ward.codes)).toEqual([1, 1, 1, 0, 0, 0, 2, 2, 2]);
  });

  it("withAreaColumn keeps only keys some row uses, in feature order", () => {
    const table = threeAreaTable();
    const result: AssignAreasResult = { area: Int32Array.of(2, 2, -1, -1, -1, -1, 0, 2, 0), keys: ["x", "y", "z"], unassigned: 4, noLocation: 0 };
    const out = withAreaColumn(table, "district", result);
    expect(out.district.values).toEqual([null, "x", "z"]);
    expect(Array.from(out.district.codes)).toEqual([2, 2, 0, 0, 0, 0, 1, 2, 1]);
  });

  it("withAreaColumn throws invalid-option, length-mismatch and invalid-input", () => {
    const table = threeAreaTable();
    const r = assignAreas(table, threeAreas(), { key: "name" });
    expect(thrown(() => withAreaColumn(table, "category" as never, r))).toEqual([
      "invalid-option",
      'withAreaColumn: column must be one of "lsoa", "ward", "beat", "district", got "category"',
    ]);
    expect(thrown(() => withAreaColumn(table, "beat", { ...r, area: new Int32Array(3) }))).toEqual([
      "length-mismatch",
      "withAreaColumn: result.area must have one entry per row (9), got 3",
    ]);
    const bad = Int32Array.from(r.area);
    bad[4] = 3;
    expect(thrown(() => withAreaColumn(table, "beat", { ...r, area: bad }))?.[1]).toBe("withAreaColumn: result.area[4] must be -1 or a feature index below 3, got 3");
    expect(thrown(() => withAreaColumn(table, "beat", null as never))?.[0]).toBe("invalid-option");
  });
});
