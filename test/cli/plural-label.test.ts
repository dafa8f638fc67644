import { describe, expect, it } from "vitest";
import { categoryLabel } from "@community-safety/core";
import { pluralLabel } from "@community-safety/cli";

describe("pluralLabel: the verb of 'X account(s) for n% of all recorded crime'", () => {
  it("reads Denver's plural categories and bare plurals as plural", () => {
    for (const l of ["All other crimes", "Drugs", "Other crimes against persons", "all other crimes"]) expect(pluralLabel(l), l).toBe(true);
  });

  it("keeps police.uk's categories singular, whose head noun comes first, and words ending in 'ss'", () => {
    const keys = ["anti-social-behaviour", "bicycle-theft", "burglary", "criminal-damage-arson", "drugs", "other-crime", "other-theft", "possession-of-weapons", "public-order", "robbery", "shoplifting", "theft-from-the-person", "vehicle-crime", "violent-crime"];
    // Only "Drugs" is plural among police.uk's labels.
    expect(keys.filter((k) => pluralLabel(categoryLabel(k))).map(categoryLabel)).toEqual(["Drugs"]);
    for (const l of ["Violence and sexual offences", "Possession of weapons", "Larceny", "Class", "Other theft", "Aggravated assault"]) expect(pluralLabel(l), l).toBe(false);
  });
});
