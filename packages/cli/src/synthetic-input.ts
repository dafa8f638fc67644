import { syntheticBorough, type IngestResult } from "@community-safety/core";

/** The synthetic borough as the report's input. */
export interface SyntheticInput {
  ingest: IngestResult;
  name: string;
  description: string;
  /** Residents per district. */
  population: ReadonlyMap<string, number>;
  populationNote: string;
  /** Lon/lat boundaries of districts, beats, wards and small areas (`properties.level`). */
  boundaries: ReturnType<typeof syntheticBorough>["boundaries"];
}

/** Default seed of the report's synthetic borough. */
export const DEFAULT_SEED = 1;

/**
 * Generates the seeded synthetic borough (see packages/core/SYNTHETIC_BOROUGH.md). It is made
 * directly as an incident table, so every generated incident is accepted: the reconciliation is
 * trivially rows = accepted.
 */
export function loadSynthetic(seed = DEFAULT_SEED): SyntheticInput {
  const s = syntheticBorough({ seed });
  const population = new Map<string, number>();
  for (const a of s.population) population.set(a.district, (population.get(a.district) ?? 0) + a.population);
  const n = s.table.length;
  const districts = [...population.keys()].join(" and ");
  return {
    ingest: {
      table: s.table,
      rejected: [],
      summary: {
        rows: n,
        accepted: n,
        rejected: 0,
        files: [{ file: `synthetic borough, seed ${seed}`, rows: n, accepted: n, rejected: 0, blankLines: 0 }],
        byReason: {},
        notes: {},
      },
    },
    name: "Wrefordshire",
    description: `the seeded synthetic borough “Wrefordshire” (districts ${districts}; seed ${seed}): invented streets, beats and residents with planted, documented patterns — police recorded crime, ASB, deliberate fires, ambulance call-outs and hospital admissions at mixed time precisions. Not real data.`,
    population,
    populationNote: `Residents: the synthetic borough's own small-area populations (${s.population.length} areas).`,
    boundaries: s.boundaries,
  };
}

/**
 * The example plan the synthetic borough is assessed against ("as at the end of November
 * 2021"): the same JSON format as a --targets file (documented in the README).
 */
export const SYNTHETIC_PLAN = {
  asAt: "2021-11",
  targets: [
    { id: "burglary", name: "Reduce burglary by 10%", categories: ["burglary"], baseline: "2020/21", direction: "reduce", size: "10%", period: "2021/22" },
    { id: "violence", name: "Reduce violence and sexual offences by 5%", categories: ["violent-crime"], baseline: "2020/21", direction: "reduce", size: "5%", period: "2021/22" },
    { id: "asb", name: "Reduce anti-social behaviour by 5%", categories: ["anti-social-behaviour"], baseline: "2020/21", direction: "reduce", size: "5%", period: "2021/22" },
    { id: "fires", name: "Reduce deliberate fires by 10%", categories: ["deliberate-primary-fire", "deliberate-secondary-fire"], baseline: "2020/21", direction: "reduce", size: "10%", period: "2021/22" },
    { id: "assault-callouts", name: "Reduce ambulance call-outs for assault by 5%", categories: ["assault"], where: { source: "ambulance-callout" }, baseline: "2020/21", direction: "reduce", size: "5%", period: "2021/22" },
    { id: "cycle-theft", name: "Reduce cycle theft against the 2006/07 baseline of 250", categories: ["bicycle-theft"], baseline: { count: 250, label: "2006/07" }, direction: "reduce", size: "10%", period: "2021/22", profileFrom: "2020/21" },
  ],
};
