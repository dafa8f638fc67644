import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, PRECISION, clockFor, hmacSha256Hex, pseudonymise } from "@community-safety/core";
import { repeatVictimisation } from "@community-safety/geo";

function table() {
  const clock = clockFor("Europe/London");
  const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
  const victims = ["V1", "V2", "V1", "V3", "V1", null, "V2"];
  victims.forEach((v, k) => {
    const i = b.addRow();
    b.dict.category.set(i, "burglary");
    b.dict.victim.set(i, v);
    b.dict.place.set(i, `P${k % 3}`);
    b.start[i] = clock.fromLocal(2021, 5, 1 + 3 * k, 12, 0);
    b.end[i] = b.start[i] + 1;
    b.precision[i] = PRECISION.minute;
    b.x[i] = 450000;
    b.y[i] = 300000;
  });
  return b.finish();
}

describe("pseudonymise", () => {
  it("hmacSha256Hex gives the RFC 4231 test vectors (cases 1 and 2)", async () => {
    expect(await hmacSha256Hex(new Uint8Array(20).fill(0x0b), "Hi There")).toBe("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    expect(await hmacSha256Hex("Jefe", "what do ya want for nothing?")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("replaces victim and place keys by keyed pseudonyms: repeats stay repeats, the keys are gone", async () => {
    const t = table();
    const { table: shared, replaced } = await pseudonymise(t, { key: "partnership secret" });
    expect(replaced).toEqual({ victim: 3, place: 3 });
    const v = (x: typeof t, i: number) => x.victim.values[x.victim.codes[i]];
    // V1 is rows 0, 2 and 4: one pseudonym, the first 32 hex digits of HMAC-SHA-256("partnership secret", "V1").
    const v1 = (await hmacSha256Hex("partnership secret", "V1")).slice(0, 32);
    expect([v(shared, 0), v(shared, 2), v(shared, 4)]).toEqual([v1, v1, v1]);
    expect(v(shared, 5)).toBeNull();
    expect(shared.victim.values.some((x) => x !== null && /^V\d$/.test(x))).toBe(false);
    expect(repeatVictimisation(shared, { key: "victim" })).toEqual(repeatVictimisation(t, { key: "victim" }));
    // Another key gives unlinkable pseudonyms; the original table is untouched.
    const other = await pseudonymise(t, { key: "another secret" });
    expect(v(other.table, 0)).not.toBe(v1);
    expect(v(t, 0)).toBe("V1");
  });

  it("rejects a missing key, unknown columns and bad lengths", async () => {
    await expect(pseudonymise(table(), { key: "" })).rejects.toThrow("pseudonymise: key must be a non-empty secret");
    await expect(pseudonymise(table(), { key: "k", columns: ["postcode" as "victim"] })).rejects.toThrow(/columns must be dictionary columns/);
    await expect(pseudonymise(table(), { key: "k", length: 8 })).rejects.toThrow("pseudonymise: length must be an integer from 16 to 64 (hex digits), got 8");
  });
});
