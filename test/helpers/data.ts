import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";

/** The repository root, from this file's location (not the working directory). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Real public data shared beside the repo: `$COMMUNITY_SAFETY_DATA` or `<repo>/../shared/data`. */
export const dataDir = process.env.COMMUNITY_SAFETY_DATA ?? join(repoRoot, "..", "shared", "data");

/** Path inside the shared data folder. */
export const dataPath = (...parts: string[]) => join(dataDir, ...parts);

/** Path inside test/fixtures. */
export const fixturePath = (...parts: string[]) => join(repoRoot, "test", "fixtures", ...parts);

/**
 * The full Charnwood assessment's inputs (police.uk Dec 2019 – Oct 2022, residents, the example
 * targets, merged wards), as `assess` options without `out`.
 */
export const charnwoodAssessOptions = () => ({
  policeUk: [dataPath("policeuk-leicestershire", "county-2019-12_2022-10")],
  area: "Charnwood",
  population: dataPath("geography-leicestershire", "leicestershire-lsoa-population-imd.csv"),
  targets: join(repoRoot, "examples", "targets", "charnwood-2022-23.json"),
  areas: dataPath("geography-leicestershire", "leicestershire-census-merged-wards-2011.geojson"),
  areasKey: "cmwd11nm",
  areasLabel: "ward",
});
