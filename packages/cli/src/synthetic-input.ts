import type { IngestResult } from "@community-safety/core";

/** The synthetic borough as the report's input. */
export interface SyntheticInput {
  ingest: IngestResult;
  name: string;
  description: string;
  population: ReadonlyMap<string, number>;
  populationNote: string;
}

export function loadSynthetic(seed?: number): SyntheticInput {
  void seed;
  throw new Error("synthetic borough not wired yet");
}
