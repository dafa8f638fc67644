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
