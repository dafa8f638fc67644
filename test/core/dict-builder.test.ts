import { describe, it, expect } from "vitest";
import { IncidentTableBuilder } from "@community-safety/core";

/** A builder's dictionary column (the DictBuilder every reader fills). */
const dictOf = (capacity: number) => new IncidentTableBuilder("Europe/London", "EPSG:27700", capacity).dict.location;

describe("IncidentTableBuilder dictionaries: codes in the narrowest array", () => {
  it("widens Uint8 → Uint16 at the 256th value and → Uint32 at the 65,536th, every row keeping its value", () => {
    const d = dictOf(16); // small: growth and widening both happen
    const n = 70_000;
    const types: string[] = [d.codes.constructor.name];
    // Row i holds value "v<i % 66_000>": codes 1…66,000 (0 is missing), then repeats.
    for (let i = 0; i < n; ++i) {
      d.set(i, `v${i % 66_000}`);
      const t = d.codes.constructor.name;
      if (!types[types.length - 1].startsWith(t)) types.push(`${t}@${i}`);
    }
    // Code 256 is the 256th distinct value ("v255", row 255); code 65,536 is "v65535" (row 65,535).
    expect(types).toEqual(["Uint8Array", "Uint16Array@255", "Uint32Array@65535"]);
    expect(d.values.length).toBe(66_001);
    for (const i of [0, 1, 254, 255, 256, 65_534, 65_535, 65_999, 66_000, 69_999]) {
      expect(d.values[d.codes[i]]).toBe(`v${i % 66_000}`);
    }
    const col = d.finish(n);
    expect(col.codes).toBeInstanceOf(Uint32Array);
    expect(col.values[col.codes[69_999]]).toBe("v3999");
  });

  it("a dictionary of under 256 values stays one byte a row, and setCode and missing values (0) keep it so", () => {
    const d = dictOf(2);
    const a = d.encode("a");
    d.set(0, "b");
    d.setCode(1, a);
    d.set(5, null); // rows 2–4 never set: missing
    expect(d.codes).toBeInstanceOf(Uint8Array);
    const col = d.finish(6);
    expect(Array.from(col.codes, (c) => col.values[c])).toEqual(["b", "a", null, null, null, null]);
  });
});
