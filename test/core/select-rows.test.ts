import { describe, expect, it } from "vitest";
import { idValue, readRecords, selectRows, whereTest } from "@community-safety/core";

describe("selectRows keeps each kept row's id (runs of rows, single rows, long and short ids)", () => {
  // Hex ids (packed two digits a byte), text ids, blank ids and one 200-character id (over the 64-byte run copy).
  const ids = Array.from({ length: 40 }, (_, i) => (i === 7 ? "x".repeat(200) : i === 11 ? "" : i % 3 === 0 ? `ref-${i}` : (i * 2654435761).toString(16).padStart(64, "0")));
  const records = ids.map((id, i) => ({ ref: id, when: `2021-0${1 + (i % 9)}-01`, type: "Burglary" }));
  const table = readRecords(records, { columns: { id: "ref", date: "when", category: "type" }, dateFormat: "yyyy-MM-dd" }).table;

  it.each([
    ["every row", Array.from({ length: 40 }, (_, i) => i)],
    ["runs and gaps", [0, 1, 2, 5, 6, 7, 8, 9, 20, 22, 23, 39]],
    ["single rows", [3, 11, 17, 31]],
    ["none", []],
  ])("%s", (_, keep) => {
    const t = selectRows(table, keep);
    expect(Array.from({ length: t.length }, (_, k) => idValue(t.id, k))).toEqual(keep.map((i) => idValue(table.id, i)));
    expect(keep.map((i) => idValue(table.id, i))).toEqual(keep.map((i) => ids[i] || null));
  });
});

describe("selectRows with a row test and whereTest", () => {
  // 10,000 rows (more than the first block of gathered indices, so it must grow twice): every
  // third row a burglary, the rest split between two other types.
  const n = 10_000;
  const records = Array.from({ length: n }, (_, i) => ({ ref: `r${i}`, when: `2021-0${1 + (i % 9)}-01`, type: i % 3 === 0 ? "Burglary" : i % 3 === 1 ? "Robbery" : "Shoplifting", beat: i % 2 === 0 ? "NC01" : "NC02" }));
  const table = readRecords(records, { columns: { id: "ref", date: "when", category: "type", beat: "beat" }, dateFormat: "yyyy-MM-dd" }).table;
  const ref = (t: typeof table) => Array.from({ length: t.length }, (_, k) => idValue(t.id, k));

  it("keeps exactly the rows the test accepts, in table order", () => {
    const t = selectRows(table, (i) => i % 3 === 0);
    expect(t.length).toBe(3334); // rows 0, 3, …, 9999
    expect(ref(t)).toEqual(Array.from({ length: 3334 }, (_, k) => `r${3 * k}`));
    expect(new Set(Array.from(t.category.codes, (c) => t.category.values[c]))).toEqual(new Set(["Burglary"]));
    expect(selectRows(table, () => false).length).toBe(0);
    expect(selectRows(table, () => true).length).toBe(n);
  });

  it("whereTest on one column and on two columns", () => {
    const burglary = selectRows(table, whereTest(table, { category: "Burglary" }));
    expect(ref(burglary)).toEqual(Array.from({ length: 3334 }, (_, k) => `r${3 * k}`));
    const two = selectRows(table, whereTest(table, { category: ["Burglary", "Robbery"] }));
    expect(two.length).toBe(3334 + 3333);
    // Burglary on beat NC01: rows divisible by 3 and by 2, i.e. by 6 (0, 6, …, 9996).
    const both = selectRows(table, whereTest(table, { category: "Burglary", beat: "NC01" }));
    expect(ref(both)).toEqual(Array.from({ length: 1667 }, (_, k) => `r${6 * k}`));
    expect(selectRows(table, whereTest(table, { category: "no-such-type" })).length).toBe(0);
  });
});

describe("selectRows narrows each dictionary to the values its rows use (one, two and four bytes a code)", () => {
  // 70,000 rows, each at its own street (70,001 dictionary entries with "missing": 4-byte codes),
  // with a projected point (x = 1,000 + row, y = 2,000 + row) and a date on one of nine months.
  const n = 70_000;
  const records = Array.from({ length: n }, (_, i) => ({ when: `2021-0${1 + (i % 9)}-01`, type: i % 2 ? "Burglary" : "Robbery", street: `Street ${i}`, e: 1000 + i, nn: 2000 + i }));
  const table = readRecords(records, { columns: { date: "when", category: "type", location: "street", x: "e", y: "nn" }, dateFormat: "yyyy-MM-dd", crs: "EPSG:27700" }).table;

  it.each([
    ["200 rows: one byte", Array.from({ length: 200 }, (_, k) => 349 * k), Uint8Array],
    ["300 rows: two bytes", Array.from({ length: 300 }, (_, k) => 233 * k), Uint16Array],
    ["66,000 rows: four bytes", Array.from({ length: 66_000 }, (_, k) => k + (k >= 30_000 ? 4_000 : 0)), Uint32Array],
  ])("%s", (_, keep, type) => {
    expect(table.location.codes).toBeInstanceOf(Uint32Array);
    const t = selectRows(table, keep);
    expect(t.location.codes).toBeInstanceOf(type);
    // Only the kept rows' streets remain (plus "missing" at code 0), each row keeping its own.
    expect(t.location.values.length).toBe(keep.length + 1);
    expect(Array.from(t.location.codes, (c) => t.location.values[c])).toEqual(keep.map((i) => `Street ${i}`));
    expect(Array.from(t.category.codes, (c) => t.category.values[c])).toEqual(keep.map((i) => (i % 2 ? "Burglary" : "Robbery")));
    expect(Array.from(t.x)).toEqual(keep.map((i) => 1000 + i));
    expect(Array.from(t.y)).toEqual(keep.map((i) => 2000 + i));
    expect(Array.from(t.start)).toEqual(keep.map((i) => table.start[i]));
    expect(Array.from(t.precision)).toEqual(keep.map((i) => table.precision[i]));
    expect(Array.from(t.flags)).toEqual(keep.map((i) => table.flags[i]));
    // The source table is untouched (its 4-byte codes were gathered, not remapped in place).
    expect(table.location.values[table.location.codes[n - 1]]).toBe(`Street ${n - 1}`);
    expect(table.location.codes[n - 1]).toBe(n);
  });
});
