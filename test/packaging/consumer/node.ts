// The Node-only side of a partner's project: core's `node` entry point (files, folders, gzip)
// and the cli package's `assess`. Compiled and run from the consumer project by
// test/packaging/consumer.test.ts; it takes paths as strings, so it needs no @types/node.
import { levels, type LevelsResult } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { assess, type AssessOptions, type AssessResult } from "@community-safety/cli";

/** Reads police.uk files from disk and writes the assessment report into `out`. */
export async function assessFiles(paths: string[], out: string): Promise<{ total: number; report: string; files: string[] }> {
  const ingest = await readPoliceUkFiles(paths);
  const byCategory: LevelsResult = levels(ingest.table);
  const options: AssessOptions = { policeUk: paths, out, quiet: true };
  const result: AssessResult = await assess(options);
  return { total: byCategory.total, report: result.report, files: result.files };
}
