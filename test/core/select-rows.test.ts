import { describe, expect, it } from "vitest";
import { idValue, readRecords, selectRows } from "@community-safety/core";

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
