// Entry of an --all-areas report process when the CLI runs from its TypeScript sources (tsx,
// vitest): registers tsx's loader in the process, then loads the worker. The built package
// starts dist/area-worker.js directly and never loads this file.
import { register } from "tsx/esm/api";

register();
await import("./area-worker.ts");
