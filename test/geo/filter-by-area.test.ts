import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, idValue, type InputError } from "@community-safety/core";
import { filterByArea } from "@community-safety/geo";
import { threeAreas, threeAreaTable } from "../fixtures/geo/three-areas.js";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

const ids = (t: { length: number; id: Parameters<typeof idValue>[0] }) => Array.from({ length: t.length }, (_, i) => idValue(t.id, i));

describe("filterByArea", () => {
  it("filterByArea(table, fc, { key, value }) keeps the rows inside the named area", () => {
    const r = filterByArea(threeAreaTable(), threeAreas(), { key: "name", value: "C" });
    // By hand: r6 and r7 are inside C's two parts, r8 on C's bottom edge (in); r5 is in C's hole (out).
    expect(ids(r.table)).toEqual(["r6", "r7", "r8"]);
    // Located rows outside C: r0, r1, r2, r3, r5; r4 has no location.
    expect([r.kept, r.outside, r.noLocation]).toEqual([3, 5, 1]);
  });

  it("filterByArea counts a row on an area's right edge as outside and its left edge as inside", () => {
    const a = filterByArea(threeAreaTable(), threeAreas(), { key: "name", value: "A" });
    expect(ids(a.table)).toEqual(["r0"]); // r1 sits on A's right edge
    const b = filterByArea(threeAreaTable(), threeAreas(), { key: "name", value: "B" });
    expect(ids(b.table)).toEqual(["r1", "r2"]); // r1 sits on B's left edge
  });

  it("filterByArea(table, fc) without a value keeps rows inside any feature", () => {
    const r = filterByArea(threeAreaTable(), threeAreas());
    expect(ids(r.table)).toEqual(["r0", "r1", "r2", "r6", "r7", "r8"]);
    expect([r.kept, r.outside, r.noLocation]).toEqual([6, 2, 1]);
  });

  it("filterByArea treats several features with one key as one area", () => {
    const r = filterByArea(threeAreaTable(), threeAreas(), { key: "district", value: "North" });
    expect(ids(r.table)).toEqual(["r0", "r1", "r2"]);
    expect(r.table.category.values).toEqual([null, "burglary"]); // other columns come along
  });

  it("filterByArea on an empty table gives an empty table", () => {
    const empty = new IncidentTableBuilder("Europe/London", "EPSG:27700").finish();
    const r = filterByArea(empty, threeAreas(), { key: "name", value: "A" });
    expect([r.table.length, r.kept, r.outside, r.noLocation]).toEqual([0, 0, 0, 0]);
  });

  it("filterByArea throws invalid-option for an unknown value or a value without key", () => {
    expect(thrown(() => filterByArea(threeAreaTable(), threeAreas(), { key: "name", value: "Charnwood" }))).toEqual([
      "invalid-option",
      'filterByArea: value must be the name of some feature ("A", "B", "C"), got "Charnwood"',
    ]);
    expect(thrown(() => filterByArea(threeAreaTable(), threeAreas(), { value: "A" }))?.[1]).toBe("filterByArea: key must be a non-empty property name, got undefined");
    expect(thrown(() => filterByArea(threeAreaTable(), threeAreas(), { key: "nope", value: "A" }))?.[0]).toBe("missing-field");
  });

  it("filterByArea does not modify its input", () => {
    const table = threeAreaTable();
    const before = [table.length, ids(table), Array.from(table.x)];
    filterByArea(table, threeAreas(), { key: "name", value: "C" });
    expect([table.length, ids(table), Array.from(table.x)]).toEqual(before);
  });
});
