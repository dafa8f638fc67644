import { syntheticBorough, type IngestResult } from "@community-safety/core";

/** The synthetic borough as the report's input. */
export interface SyntheticInput {
  ingest: IngestResult;
  name: string;
  description: string;
  /** Residents per district. */
  population: ReadonlyMap<string, number>;
  populationNote: string;
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
  };
}
