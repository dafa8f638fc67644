import { describe, it, expect } from "vitest";
import { readPoliceUk, idValue, incidentRows } from "@community-safety/core";

const H = "Crime ID,Month,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type\n";
const row = (id: string, month: string) => `${id},${month},-1.2,52.7,On or near A,E01,Charnwood 001A,Drugs\n`;

describe("id column", () => {
  it("reads every id back exactly as written: lowercase hex, uppercase hex, and other text", () => {
    const ids = ["a".repeat(64), "DEADBEEF", "A1", "ab", "CR/1/21", "0f0f"];
    const { table } = readPoliceUk(H + ids.map((id) => row(id, "2021-05")).join(""), { dedupe: "none" });
    expect(Array.from({ length: ids.length }, (_, i) => idValue(table.id, i))).toEqual(ids);
  });

  it("treats ids differing only in case as different crimes", () => {
    const { summary } = readPoliceUk(H + row("AB", "2021-04") + row("ab", "2021-05"));
    expect(summary).toMatchObject({ accepted: 2, rejected: 0 });
  });

  it("still finds a repeated hex Crime ID after a non-hex id switched the column to text", () => {
    const hex = "c".repeat(64);
    const { summary, rejected, table } = readPoliceUk(H + row(hex, "2021-03") + row("CR/1/21", "2021-03") + row(hex, "2021-04"));
    expect(summary).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    expect(rejected[0]).toMatchObject({ row: 1, reason: "duplicate-id", value: hex });
    expect(incidentRows(table).map((r) => r.id)).toEqual(["CR/1/21", hex]);
  });
});
