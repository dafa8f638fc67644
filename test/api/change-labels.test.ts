/**
 * Change rows carry a readable `label` beside the `category` slug, so a notebook can print or
 * write them without a look-up. Expected values: police.uk's own "Crime type" wording in the raw
 * files (a source the library's label table was not read from), counts from the raw files, and
 * hand-written labels on the synthetic borough.
 */
import { describe, it, expect, beforeAll } from "vitest";
import * as aq from "arquero";
import { change, yearOnYear, selectArea, syntheticBorough, type IncidentTable } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { countyFolder, financialYearOf, haveCounty, isCharnwood, rawCounty, skipNote } from "./raw-police-uk.js";

const { table } = syntheticBorough({ seed: 1 });

describe("change(...).rows[i].label", () => {
  it("sits beside the category slug, so a table of rows reads without a look-up", () => {
    const r = change(table, "2020/21", "2021/22", { categories: ["burglary", "anti-social-behaviour", "deliberate-primary-fire"] });
    expect(Object.keys(r.rows[0]).slice(0, 2)).toEqual(["category", "label"]);
    const named = aq.from(r.rows).select("category", "label").objects();
    // By hand: police.uk's names for its types; a partner's key without one is its words, capitalised.
    expect(named).toEqual([
      { category: "anti-social-behaviour", label: "Anti-social behaviour" },
      { category: "burglary", label: "Burglary" },
      { category: "deliberate-primary-fire", label: "Deliberate primary fire" },
    ]);
    // The label is the name the sentence starts with.
    for (const row of r.rows) expect(row.sentence.startsWith(`${row.label} `)).toBe(true);
  });

  it("names every dimension of the row, or what the label option says", () => {
    const r = change(table, "2020/21", "2021/22", { categories: ["burglary"], by: ["category", "district"] });
    expect(r.rows.map((x) => [x.category, x.district, x.label])).toEqual([
      ["burglary", "Callowmere", "Burglary, Callowmere"],
      ["burglary", "Wreford", "Burglary, Wreford"],
    ]);
    const own = change(table, "2020/21", "2021/22", { categories: ["burglary"], label: (row) => `Burglaries (${row.category})` });
    expect(own.rows[0].label).toBe("Burglaries (burglary)");
    expect(own.rows[0].sentence.startsWith("Burglaries (burglary) ")).toBe(true);
  });
});

describe.skipIf(!haveCounty)(`Charnwood police.uk, 2020/21 → 2021/22${skipNote}`, () => {
  let charnwood: IncidentTable;
  beforeAll(async () => {
    charnwood = selectArea((await readPoliceUkFiles(countyFolder)).table, { lsoaPrefix: "Charnwood" });
  });

  it("yearOnYear rows carry police.uk's own name for each type beside its key", () => {
    const r = yearOnYear(charnwood, "2021/22");
    // Second route: each raw "Crime type" text and its Charnwood counts by financial year.
    const raw = new Map<string, [number, number]>();
    for (const x of rawCounty().kept) {
      if (!isCharnwood(x)) continue;
      const fy = financialYearOf(x.month);
      const c = raw.get(x.type) ?? [0, 0];
      if (fy === "2020/21") c[0] += 1;
      if (fy === "2021/22") c[1] += 1;
      raw.set(x.type, c);
    }
    expect([r.rows.length, raw.size]).toEqual([14, 14]); // police.uk's 14 types, ASB included
    const byLabel = new Map(r.rows.map((x) => [x.label, [x.previous, x.current]]));
    expect(byLabel).toEqual(raw);
    expect(r.rows.find((x) => x.category === "violent-crime")!.label).toBe("Violence and sexual offences");
  });
});
